using Bridge.Core.Delivery;
using Bridge.Core.Secrets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Bounces;

/// <summary>
/// Reads every profile's <see cref="BounceMailbox"/> over IMAP: each unread mail is handed to the <see cref="BounceRecorder"/>,
/// and flagged <c>\Seen</c> once handled for good. A mail that matches nothing or cannot be read stays unread (read
/// without setting <c>\Seen</c>, with <c>BODY.PEEK</c>) and is counted, for a person to look at. One mailbox that fails
/// (down, a refused login, storage gone) is logged and left for the next poll; the others are still read.
/// </summary>
public sealed partial class BouncePoller(
    IOptions<SmtpOptions> smtp,
    IOptions<BounceOptions> options,
    SecretCache secrets,
    BounceRecorder recorder,
    TimeProvider time,
    ILogger<BouncePoller> logger)
{
    /// <summary>The Functions timer: often enough for any <see cref="BounceOptions.PollSeconds"/> allowed; <see cref="PollIfDueAsync"/> keeps the interval.</summary>
    public const string Schedule = "*/15 * * * * *";

    public const string Source = "imap";

    private DateTimeOffset? lastPoll;

    /// <summary>
    /// Polls when <see cref="BounceOptions.PollSeconds"/> have passed since this instance last did (the Functions timer's
    /// entry); true when it polled.
    /// </summary>
    public async Task<bool> PollIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A timer tick a moment early still counts as due, or a 60-second interval would poll every 75 seconds.
        if (lastPoll is { } last && now - last < TimeSpan.FromSeconds(options.Value.PollSeconds) - TimeSpan.FromSeconds(1))
        {
            return false;
        }

        lastPoll = now;
        await PollAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads every bounce mailbox once; one summary per mailbox.</summary>
    public async Task<IReadOnlyList<MailboxPoll>> PollAsync(CancellationToken cancellationToken)
    {
        var polls = new List<MailboxPoll>();
        foreach (var (profile, settings) in smtp.Value.Profiles)
        {
            if (settings.BounceMailbox is { } mailbox)
            {
                polls.Add(await PollMailboxAsync(profile, mailbox, cancellationToken).ConfigureAwait(false));
            }
        }

        return polls;
    }

    private async Task<MailboxPoll> PollMailboxAsync(string profile, BounceMailbox mailbox, CancellationToken cancellationToken)
    {
        var poll = new MailboxPoll(profile);
        using var client = new ImapClient
        {
            Timeout = (int)TimeSpan.FromSeconds(mailbox.TimeoutSeconds).TotalMilliseconds,
            ServerCertificateValidationCallback = CertificateTrust.For(mailbox.TrustedCertificateThumbprint),
        };
        try
        {
            await client.ConnectAsync(mailbox.Host, mailbox.Port, SmtpLogin.SocketOptions(mailbox.Security), cancellationToken).ConfigureAwait(false);
            if (!client.IsSecure && !mailbox.AllowInsecureAuth)
            {
                throw new InsecureAuthRefusedException(profile);
            }

            var password = await secrets.GetSecretAsync(mailbox.PasswordSecret!, cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync(mailbox.Username!, password, cancellationToken).ConfigureAwait(false);
            var folder = await client.GetFolderAsync(mailbox.Folder, cancellationToken).ConfigureAwait(false);
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
            foreach (var uid in await folder.SearchAsync(SearchQuery.NotSeen, cancellationToken).ConfigureAwait(false))
            {
                var message = await folder.GetMessageAsync(uid, cancellationToken).ConfigureAwait(false);
                var result = await recorder.RecordAsync(message.Body, Source, cancellationToken).ConfigureAwait(false);
                poll.Count(result.Outcome);
                if (result.Outcome.IsHandled())
                {
                    await folder.AddFlagsAsync(uid, MessageFlags.Seen, silent: true, cancellationToken).ConfigureAwait(false);
                }
            }

            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            // Whatever the mailbox or storage did, the poll ends here for this mailbox; unread mail is read again next time.
            poll.Error = ErrorText.Describe(e);
            LogPollFailed(logger, profile, poll.Error);
        }

        return poll;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bounce mailbox of profile {Profile} could not be read ({Error}); trying again at the next poll")]
    private static partial void LogPollFailed(ILogger logger, string profile, string error);
}

/// <summary>What one poll of one mailbox did: how many DSNs ended each way, and the error that stopped it, if one did.</summary>
public sealed class MailboxPoll(string profile)
{
    private readonly Dictionary<BounceOutcome, int> counts = [];

    public string Profile { get; } = profile;

    public string? Error { get; set; }

    public int this[BounceOutcome outcome] => counts.GetValueOrDefault(outcome);

    public void Count(BounceOutcome outcome) => counts[outcome] = this[outcome] + 1;
}
