using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Messages;

/// <summary>Who may send as whom, through which profile: the rules that keep Bridge from being an open relay.</summary>
public sealed class SenderPolicy(IOptions<SmtpOptions> smtp)
{
    /// <summary>Returns the broken rule, or null when the caller may send this message.</summary>
    public PolicyViolation? Check(ApiCaller caller, ValidatedMessage message)
    {
        if (!caller.MayUseProfile(message.Profile))
        {
            return new PolicyViolation("profile-not-allowed", $"API key '{caller.KeyName}' may not use SMTP profile '{message.Profile}'.");
        }

        var from = message.From.Address;
        if (!SenderRule.Allows(caller.AllowedFrom, from))
        {
            return new PolicyViolation("sender-not-allowed", $"API key '{caller.KeyName}' may not send as '{from}'.");
        }

        var profile = smtp.Value.Profiles[message.Profile];
        return SenderRule.Allows(profile.AllowedFromList, from)
            ? null
            : new PolicyViolation("sender-not-allowed", $"SMTP profile '{message.Profile}' may not send as '{from}'.");
    }
}

/// <summary>A broken authorization rule, named so a client can tell which one.</summary>
public sealed record PolicyViolation(string Rule, string Detail);
