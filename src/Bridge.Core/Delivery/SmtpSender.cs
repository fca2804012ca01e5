using Bridge.Core.Deliverability;
using System.Diagnostics;
using Bridge.Core.Events;
using Bridge.Core.Telemetry;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bridge.Core.Delivery;

/// <summary>
/// Sends one message through a profile on a pooled connection and classifies what happened. Mail from a
/// domain with a DKIM key is signed first, when its headers are final.
/// </summary>
public sealed class SmtpSender(SmtpConnectionPool pool, IOptions<SmtpOptions> smtp, DkimSigning? dkim = null, BridgeTelemetry? telemetry = null)
{
    /// <summary>
    /// Returns <see cref="DeliveryResult.Sent"/> or a classified <see cref="DeliveryResult.Failed"/>;
    /// throws only for what no classification covers (a crash) or cancellation.
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
            return new DeliveryResult.Failed(failure);
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
