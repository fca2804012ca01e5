namespace Bridge.Core.Messages;

/// <summary>An <c>Idempotency-Key</c> header with the fingerprint of the body it came with.</summary>
public sealed record IdempotencyKey(string Key, string BodySha256)
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>Printable ASCII, 1 to 255 characters (as Stripe and the IETF draft allow).</summary>
    public static bool IsWellFormed(string key) => key.Length is > 0 and <= 255 && key.All(c => c is >= ' ' and < '\x7f');
}
