namespace Bridge.Core.Auth;

/// <summary>The configured API keys, bound from <c>Bridge:ApiKeys</c> (name → entry).</summary>
public sealed class ApiKeyOptions : Dictionary<string, ApiKeyEntry>
{
    public const string SectionName = "Bridge:ApiKeys";

    public ApiKeyOptions()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
