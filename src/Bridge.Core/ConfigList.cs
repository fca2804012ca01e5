namespace Bridge.Core;

/// <summary>Lists in configuration are comma-separated strings, so each fits in one app setting.</summary>
public static class ConfigList
{
    public static IReadOnlyList<string> Split(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
