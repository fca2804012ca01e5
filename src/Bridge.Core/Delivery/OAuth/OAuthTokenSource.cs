using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Azure.Core;
using Bridge.Core.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Core.Delivery.OAuth;

/// <summary>
/// Access tokens for OAuth profiles, one per profile, reused until shortly before they expire. When
/// the server refuses a token, <see cref="RefreshAsync"/> gets a new one past every cache, as the
/// password path re-reads a secret that may have rotated.
/// </summary>
public sealed partial class OAuthTokenSource(OAuthCredentialFactory credentials, TimeProvider time, ILogger<OAuthTokenSource> logger)
{
    /// <summary>A token this close to its expiry is renewed rather than sent: a login must not race the clock.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, ProfileTokens> profiles = new(StringComparer.OrdinalIgnoreCase);
    private long acquisitions;

    /// <summary>A source with the default credentials and no logging, for callers built without the container.</summary>
    public static OAuthTokenSource CreateDefault(SecretCache secrets, TimeProvider time) =>
        new(new OAuthCredentialFactory(secrets), time, NullLogger<OAuthTokenSource>.Instance);

    /// <summary>Token requests that reached Azure.Identity or Google's token endpoint (a cost counter, and what tests count).</summary>
    public long Acquisitions => Interlocked.Read(ref acquisitions);

    /// <summary>The profile's current token: the cached one while it is valid for a while yet, a new one otherwise.</summary>
    public async Task<string> GetTokenAsync(string profileName, SmtpProfile profile, CancellationToken cancellationToken)
    {
        var oauth = OAuthOf(profile);
        var tokens = profiles.GetOrAdd(profileName, _ => new ProfileTokens());
        await tokens.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (tokens.Current is { } current && current.ExpiresOn - RenewBefore > time.GetUtcNow())
            {
                return current.Token;
            }

            tokens.Credential ??= await credentials.CreateAsync(profile, rereadSecrets: false, cancellationToken).ConfigureAwait(false);
            return await AcquireAsync(profileName, tokens, oauth, claims: null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            tokens.Gate.Release();
        }
    }

    /// <summary>
    /// A new token, for when the server refused the last one. It bypasses every cache: a new credential
    /// (with its own empty token cache, and the client secret, certificate or service account key read
    /// again from the store), and for a managed identity, whose tokens MSAL caches for the whole
    /// process, a claims challenge, which is MSAL's way to say "not the cached one".
    /// </summary>
    public async Task<string> RefreshAsync(string profileName, SmtpProfile profile, CancellationToken cancellationToken)
    {
        var oauth = OAuthOf(profile);
        var tokens = profiles.GetOrAdd(profileName, _ => new ProfileTokens());
        await tokens.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            LogRefresh(logger, profileName);
            tokens.Current = null;
            tokens.Credential = null;
            tokens.Credential = await credentials.CreateAsync(profile, rereadSecrets: true, cancellationToken).ConfigureAwait(false);
            var claims = oauth.UseManagedIdentity ? RefreshClaims(time.GetUtcNow()) : null;
            return await AcquireAsync(profileName, tokens, oauth, claims, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            tokens.Gate.Release();
        }
    }

    private async Task<string> AcquireAsync(string profileName, ProfileTokens tokens, OAuthProfile oauth, string? claims, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref acquisitions);
        var token = await tokens.Credential!.GetTokenAsync(new TokenRequestContext([oauth.Scope], claims: claims), cancellationToken)
            .ConfigureAwait(false);
        tokens.Current = token;
        LogAcquired(logger, profileName, oauth.Describe(), token.ExpiresOn);
        return token.Token;
    }

    /// <summary>The profile's OAuth settings; the caller asks only for a profile that has them.</summary>
    private static OAuthProfile OAuthOf(SmtpProfile profile) =>
        profile.OAuth ?? throw new ArgumentException("The profile has no OAuth settings.", nameof(profile));

    /// <summary>A claims challenge that asks for a token issued from now on (the shape Entra's own challenges take).</summary>
    private static string RefreshClaims(DateTimeOffset now) =>
        JsonSerializer.Serialize(new { access_token = new { nbf = new { essential = true, value = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) } } });

    [LoggerMessage(Level = LogLevel.Debug, Message = "Profile {Profile}: got an OAuth access token for {Identity}, valid until {ExpiresOn}")]
    private static partial void LogAcquired(ILogger logger, string profile, string identity, DateTimeOffset expiresOn);

    [LoggerMessage(Level = LogLevel.Information, Message = "Profile {Profile}: getting a new OAuth access token past every cache, as the server refused the last one")]
    private static partial void LogRefresh(ILogger logger, string profile);

    private sealed class ProfileTokens
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public TokenCredential? Credential { get; set; }
        public AccessToken? Current { get; set; }
    }
}
