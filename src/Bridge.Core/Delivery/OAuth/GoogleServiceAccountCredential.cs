using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using GoogleHttpClientFactory = Google.Apis.Http.IHttpClientFactory;

namespace Bridge.Core.Delivery.OAuth;

/// <summary>
/// A Google service account acting as one Workspace user (domain-wide delegation), seen as an
/// Azure.Core <see cref="TokenCredential"/> so that <see cref="OAuthTokenSource"/> caches and refreshes
/// its tokens as it does Entra's. Each request signs a JWT with the account's private key and trades
/// it at the key file's <c>token_uri</c> for a new access token: the caching is the token source's.
/// </summary>
public sealed class GoogleServiceAccountCredential : TokenCredential
{
    private readonly GoogleCredential delegated;
    private readonly string clientEmail;
    private readonly string user;

    private GoogleServiceAccountCredential(GoogleCredential delegated, string clientEmail, string user)
    {
        this.delegated = delegated;
        this.clientEmail = clientEmail;
        this.user = user;
    }

    /// <summary>The credential of the key file <paramref name="keyJson"/>, acting as <paramref name="user"/>.</summary>
    /// <param name="keyName">The secret's name, for messages (the key itself never appears in one).</param>
    /// <param name="http">The HTTP client for the token endpoint; null means Google's default.</param>
    /// <exception cref="InvalidServiceAccountKeyException">The secret is not a service account's JSON key file.</exception>
    public static GoogleServiceAccountCredential FromKey(string keyJson, string keyName, string user, GoogleHttpClientFactory? http)
    {
        if (Problem(keyJson) is { } problem)
        {
            throw new InvalidServiceAccountKeyException(keyName, problem);
        }

        ServiceAccountCredential account;
        try
        {
            account = CredentialFactory.FromJson<ServiceAccountCredential>(keyJson);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the parser threw, its message may quote the private key: it is left out, inner error and all.
            throw new InvalidServiceAccountKeyException(keyName, "its private_key is not a PEM RSA private key");
        }

        var delegated = GoogleCredential.FromServiceAccountCredential(account).CreateWithUser(user);
        return new(http is null ? delegated : delegated.CreateWithHttpClientFactory(http), account.Id, user);
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var account = (ServiceAccountCredential)delegated.CreateScoped(requestContext.Scopes).UnderlyingCredential;
        try
        {
            await account.RequestAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TokenResponseException e)
        {
            // Azure.Core's convention for a token the authority would not give; the hints read Google's error code inside.
            throw new AuthenticationFailedException(
                $"Google refused a token for the service account '{clientEmail}' acting as '{user}': {e.Error.Error}" +
                (e.Error.ErrorDescription is { Length: > 0 } description ? $" ({description})" : ""), e);
        }
        catch (HttpRequestException e)
        {
            throw new AuthenticationFailedException($"Google's token endpoint could not be reached: {e.Message}", e);
        }

        // Google's answer says how long the token lives; IssuedUtc is when it arrived.
        var token = account.Token;
        var issued = new DateTimeOffset(DateTime.SpecifyKind(token.IssuedUtc, DateTimeKind.Utc));
        return new AccessToken(token.AccessToken, issued.AddSeconds(token.ExpiresInSeconds ?? 0));
    }

    /// <summary>What makes <paramref name="keyJson"/> no service account key, in words that never quote it; null when it looks like one.</summary>
    private static string? Problem(string keyJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(keyJson);
        }
        catch (JsonException)
        {
            return "it is not JSON; store the whole key file as Google Cloud console downloads it";
        }

        using (document)
        {
            var key = document.RootElement;
            string? Field(string name) => key.ValueKind == JsonValueKind.Object && key.TryGetProperty(name, out var value)
                                          && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

            return Field("type") != JsonCredentialParameters.ServiceAccountCredentialType
                ? "its \"type\" is not \"service_account\" (an OAuth client's or a user's credentials file will not do)"
                : string.IsNullOrEmpty(Field("client_email")) ? "it has no \"client_email\""
                : string.IsNullOrEmpty(Field("private_key")) ? "it has no \"private_key\""
                : Field("token_uri") is { } uri && !(Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps)
                    ? "its \"token_uri\" is not an https:// address"
                : null;
        }
    }
}
