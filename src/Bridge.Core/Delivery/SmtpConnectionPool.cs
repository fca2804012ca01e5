using System.Collections.Concurrent;
using Bridge.Core.Delivery.OAuth;
using Bridge.Core.Secrets;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Delivery;

/// <summary>
/// Open, authenticated MailKit connections per profile. A connection is rented by one delivery at a
/// time (<c>SmtpClient</c> is not thread-safe), checked with NOOP when it has been idle, and thrown
/// away after any failure rather than trusted again.
/// </summary>
public sealed partial class SmtpConnectionPool(
    SecretCache secrets,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<SmtpConnectionPool> logger,
    OAuthTokenSource? oauthTokens = null) : IAsyncDisposable
{
    private readonly SmtpLogin login = new(secrets, oauthTokens ?? OAuthTokenSource.CreateDefault(secrets, time));
    private readonly ConcurrentDictionary<string, ProfileConnections> pools = new(StringComparer.OrdinalIgnoreCase);
    private long opened;

    /// <summary>Connections opened since start (a cost counter for the benchmark).</summary>
    public long ConnectionsOpened => Interlocked.Read(ref opened);

    /// <summary>Rents a ready connection, opening one when none is idle. <paramref name="progress"/> tracks the step reached.</summary>
    internal async Task<TrackingSmtpClient> RentAsync(string name, SmtpProfile profile, DeliveryProgress progress, CancellationToken cancellationToken)
    {
        var pool = pools.GetOrAdd(name, _ => new ProfileConnections(options.Value.MaxConnectionsPerProfile));
        await pool.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (pool.Idle.TryTake(out var idle))
            {
                if (await IsReusableAsync(idle, cancellationToken).ConfigureAwait(false))
                {
                    return idle;
                }

                await CloseAsync(idle).ConfigureAwait(false);
            }

            return await OpenAsync(name, profile, progress, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            pool.Slots.Release();
            throw;
        }
    }

    internal void Return(string name, TrackingSmtpClient client)
    {
        var pool = pools[name];
        client.LastUsed = time.GetUtcNow();
        pool.Idle.Add(client);
        pool.Slots.Release();
    }

    internal async Task DiscardAsync(string name, TrackingSmtpClient client)
    {
        await CloseAsync(client).ConfigureAwait(false);
        pools[name].Slots.Release();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in pools.Values)
        {
            while (pool.Idle.TryTake(out var client))
            {
                await CloseAsync(client).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> IsReusableAsync(TrackingSmtpClient client, CancellationToken cancellationToken)
    {
        var idleFor = time.GetUtcNow() - client.LastUsed;
        if (!client.IsConnected || idleFor > options.Value.MaxIdle)
        {
            return false;
        }

        if (idleFor < options.Value.NoopAfterIdle)
        {
            return true;
        }

        try
        {
            await client.NoOpAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<TrackingSmtpClient> OpenAsync(string name, SmtpProfile profile, DeliveryProgress progress, CancellationToken cancellationToken)
    {
        var client = await ConnectAsync(profile, progress, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(profile.Username))
        {
            return client;
        }

        // The secret (or OAuth token) is read only once the server is reachable and the connection safe
        // for it: an outage costs no Key Vault calls, and a plain-text connection never sees the password.
        try
        {
            progress.Phase = SmtpPhase.Authenticate;
            EnsureSafeForPassword(client, name, profile);
            var credential = await login.ReadCredentialAsync(name, profile, fresh: false, cancellationToken).ConfigureAwait(false);
            try
            {
                await SmtpLogin.AuthenticateAsync(client, credential, cancellationToken).ConfigureAwait(false);
                return client;
            }
            catch (AuthenticationException e) when (!OAuthFailureHints.IsSmtpAuthDisabled(e.Message))
            {
                // The password (or token) may have rotated since it was cached: read it again, once, and retry
                // on a fresh connection only if it changed (a second wrong guess only risks a lockout). Not when
                // SMTP AUTH is off for the mailbox (5.7.139): that refuses every credential, so a new one is wasted.
                var fresh = await login.ReadCredentialAsync(name, profile, fresh: true, cancellationToken).ConfigureAwait(false);
                if (fresh == credential)
                {
                    if (!credential.IsAccessToken && ProfileLint.CheckSecret(name, profile.PasswordSecret!, credential.Secret) is { } slip)
                    {
                        ProfileLint.Log(logger, slip);
                    }

                    throw;
                }

                LogAuthRetry(logger, name, fresh.IsAccessToken ? "a new OAuth access token" : "the password as now stored (it was rotated)");
                await CloseAsync(client).ConfigureAwait(false);
                client = await ConnectAsync(profile, progress, cancellationToken).ConfigureAwait(false);
                progress.Phase = SmtpPhase.Authenticate;
                await SmtpLogin.AuthenticateAsync(client, fresh, cancellationToken).ConfigureAwait(false);
                return client;
            }
        }
        catch
        {
            await CloseAsync(client).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<TrackingSmtpClient> ConnectAsync(SmtpProfile profile, DeliveryProgress progress, CancellationToken cancellationToken)
    {
        var client = new TrackingSmtpClient
        {
            Timeout = (int)TimeSpan.FromSeconds(profile.TimeoutSeconds).TotalMilliseconds,
            ServerCertificateValidationCallback = CertificateTrust.For(profile),
        };
        try
        {
            progress.Phase = SmtpPhase.Connect;
            Interlocked.Increment(ref opened);
            await client.ConnectAsync(profile.Host, profile.Port, SmtpLogin.SocketOptions(profile.Security), cancellationToken).ConfigureAwait(false);
            client.LastUsed = time.GetUtcNow();
            return client;
        }
        catch
        {
            await CloseAsync(client).ConfigureAwait(false);
            throw;
        }
    }

    private void EnsureSafeForPassword(TrackingSmtpClient client, string name, SmtpProfile profile)
    {
        if (!SmtpLogin.MaySendCredential(client, profile))
        {
            throw new InsecureAuthRefusedException(name);
        }

        if (!client.IsSecure)
        {
            LogInsecureAuth(logger, name);
        }
    }

    private static async Task CloseAsync(TrackingSmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or MailKit.Net.Smtp.SmtpProtocolException
                                      or MailKit.Net.Smtp.SmtpCommandException or System.Net.Sockets.SocketException)
        {
            // Closing a broken connection is best effort.
        }
        finally
        {
            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Profile {Profile} authenticates over an unencrypted connection (AllowInsecureAuth); use this for local test servers only")]
    private static partial void LogInsecureAuth(ILogger logger, string profile);

    // Says what is retried: for OAuth a fresh token was fetched, nothing in the secret store had to change.
    [LoggerMessage(Level = LogLevel.Information, Message = "Profile {Profile}: the server refused the login; retrying once on a new connection with {Credential}")]
    private static partial void LogAuthRetry(ILogger logger, string profile, string credential);

    private sealed class ProfileConnections(int maxConnections)
    {
        public SemaphoreSlim Slots { get; } = new(maxConnections, maxConnections);
        public ConcurrentBag<TrackingSmtpClient> Idle { get; } = [];
    }
}
