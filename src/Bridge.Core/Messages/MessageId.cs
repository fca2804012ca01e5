namespace Bridge.Core.Messages;

/// <summary>Message ids: 32 lowercase hex digits of a version 7 GUID, so they sort by creation time.</summary>
public static class MessageId
{
    public static string New() => Guid.CreateVersion7().ToString("N");

    public static bool IsWellFormed(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);
}
