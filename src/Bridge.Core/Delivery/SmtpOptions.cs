namespace Bridge.Core.Delivery;

/// <summary>The upstream SMTP profiles, bound from <c>Bridge:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Bridge:Smtp";
    public const string DefaultProfile = "default";

    public Dictionary<string, SmtpProfile> Profiles { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
