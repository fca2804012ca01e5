using Bridge.Core.Deliverability;
using System.Diagnostics;
using Bridge.Core.Events;
using Bridge.Core.Telemetry;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bridge.Core.Delivery;

/// <summary>
/// Sends one message through a profile on a pooled connection and classifies what happened. When the profile fails
/// transiently or by configuration (connect, TLS, auth, 4xx) its <see cref="SmtpProfile.Fallback"/> profiles are
/// tried in order, those whose circuit is open (<see cref="ProfileCircuits"/>) last; a permanent refusal (a
/// recipient's 5xx) is the answer, since another upstream would only be refused too or deliver what the first refused.
/// Mail from a domain with a DKIM key is signed first, when its headers are final.
/// </summary>
public sealed class SmtpSender(
    SmtpConnectionPool pool, IOptions<SmtpOptions> smtp, DkimSigning? dkim = null, ProfileCircuits? circuits = null, BridgeTelemetry? telemetry = null)
{
    /// <summary>
    /// Returns <see cref="DeliveryResult.Sent"/> or a classified <see cref="DeliveryResult.Failed"/>, naming the profile
    /// that gave it and any it failed over from; throws only for what no classification covers (a crash) or cancellation.
    /// </summary>
    public async Task<DeliveryResult> SendAsync(
        string profileName, MimeMessage message, string sender, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        if (!smtp.Value.Profiles.TryGetValue(profileName, out var profile))
        {
            // Accept refuses unknown profiles, so the profile was removed or renamed while the message waited.
            return new DeliveryResult.Failed(new DeliveryFailure(FailureKind.Configuration, null,
                $"The SMTP profile '{profileName}' is not configured (it was when the message was accepted).",
                $"Add {SmtpOptions.SectionName}:Profiles:{profileName} back (or point the sending app at a configured profile) and send the message again."));
        }

        if (dkim is not null && await dkim.SignAsync(message, cancellationToken).ConfigureAwait(false) is { } unsigned)
        {
            return new DeliveryResult.Failed(new DeliveryFailure(FailureKind.Configuration, null, unsigned.Detail, unsigned.Hint));
        }

        IReadOnlyList<string> candidates = [profileName, .. profile.FallbackList];
        if (circuits is not null && candidates.Count > 1)
        {
            candidates = circuits.Order(candidates);
        }

        var failedOver = new List<ProfileFailover>();
        for (var i = 0; ; i++)
        {
            var name = candidates[i];
            var result = await SendThroughAsync(name, smtp.Value.Profiles[name], message, sender, recipients, cancellationToken).ConfigureAwait(false);
            if (result is DeliveryResult.Failed { Failure: var failure } && FailsOver(failure.Kind))
            {
                circuits?.Failed(name);
                if (i + 1 < candidates.Count)
                {
                    failedOver.Add(new ProfileFailover(name, failure));
                    continue;
                }
            }
            else if (result is DeliveryResult.Sent)
            {
                circuits?.Succeeded(name);
            }

            return result with { Profile = name, FailedOver = failedOver };
        }
    }

    /// <summary>Names the recipients a refusal was about, so their mailbox errors can be told apart (and suppressed).</summary>
    private static DeliveryFailure WithRefused(DeliveryFailure failure, Exception error, IReadOnlyList<string> recipients, TrackingSmtpClient? client) =>
        error switch
        {
            NoRecipientsAcceptedException e => failure with { Refused = e.Rejected },
            SmtpCommandException { ErrorCode: SmtpErrorCode.MessageNotAccepted } when failure.Reply is { } reply => failure with
            {
                RefusedAtData = true,
                Refused = recipients.Where(r => client?.Rejected.Any(x => string.Equals(x.Address, r, StringComparison.OrdinalIgnoreCase)) != true)
                    .Select(r => new RejectedRecipient(r, reply)).ToList(),
            },
            _ => failure,
        };

    /// <summary>The contract's failover rule: on connect, TLS, auth and 4xx failures; never on a permanent (5xx) refusal.</summary>
    public static bool FailsOver(FailureKind kind) => kind is FailureKind.Transient or FailureKind.Configuration or FailureKind.Credentials;

    private async Task<DeliveryResult> SendThroughAsync(
        string profileName, SmtpProfile profile, MimeMessage message, string sender, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var progress = new DeliveryProgress();
        TrackingSmtpClient? client = null;
        using var activity = telemetry?.StartSmtp(profileName, profile.Host, profile.Port);
        try
        {
            client = await pool.RentAsync(profileName, profile, progress, cancellationToken).ConfigureAwait(false);
            progress.Phase = SmtpPhase.Send;
            client.ResetRecipients();
            var reply = await client.SendAsync(
                FormatOptions.Default, message, MailboxAddress.Parse(sender), recipients.Select(MailboxAddress.Parse), cancellationToken)
                .ConfigureAwait(false);
            var rejected = client.Rejected.ToList();
            pool.Return(profileName, client);
            client = null;

            // MailKit returns only after a 2xx to DATA, which is 250 in practice.
            activity?.SetTag(TelemetryTags.SmtpReplyCode, (int)SmtpStatusCode.Ok);
            return new DeliveryResult.Sent(new SmtpReply((int)SmtpStatusCode.Ok, reply), rejected);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
                                  && SmtpFailureClassifier.Classify(e, profile, progress.Phase) is { } failure)
        {
            // The kind and phase only: the reply's text and the exception's message may quote addresses.
            activity?.SetTag(TelemetryTags.SmtpReplyCode, failure.Reply?.Code);
            activity?.SetStatus(ActivityStatusCode.Error, $"{failure.Kind} at {progress.Phase}");
            return new DeliveryResult.Failed(WithRefused(failure, e, recipients, client));
        }
        finally
        {
            if (client is not null)
            {
                await pool.DiscardAsync(profileName, client).ConfigureAwait(false);
            }
        }
    }
}
