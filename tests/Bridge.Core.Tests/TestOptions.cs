using Bridge.Core.Delivery;
using Bridge.Core.Messages;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests;

/// <summary>Small builders for options the rules read.</summary>
internal static class TestOptions
{
    public static IOptions<SmtpOptions> Smtp(params (string Name, SmtpProfile Profile)[] profiles)
    {
        var options = new SmtpOptions();
        foreach (var (name, profile) in profiles.Length == 0 ? [("default", new SmtpProfile { Host = "smtp.example.org" })] : profiles)
        {
            options.Profiles[name] = profile;
        }

        return Options.Create(options);
    }

    public static IOptions<MessageLimits> Limits(Action<MessageLimits>? change = null)
    {
        var limits = new MessageLimits();
        change?.Invoke(limits);
        return Options.Create(limits);
    }
}
