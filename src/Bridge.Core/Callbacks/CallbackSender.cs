using System.Globalization;
using System.Net.Http.Headers;
using Bridge.Core.Hooks;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Callbacks;

/// <summary>
/// POSTs one signed callback, the Standard Webhooks way: <c>webhook-id</c>, <c>webhook-timestamp</c> (now, Unix seconds)
/// and <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>. Redirects are not followed (a
/// redirect could lead past the address check); every new connection goes through <see cref="CallbackConnector"/>;
/// each attempt has its own timeout.
/// </summary>
public sealed class CallbackSender : IDisposable
{
    private readonly HttpClient client;
    private readonly TimeProvider time;
    private readonly IOptions<CallbackOptions> options;

    public CallbackSender(CallbackConnector connector, TimeProvider time, IOptions<CallbackOptions> options)
    {
        this.time = time;
        this.options = options;
        client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = connector.ConnectAsync,
            // Connections are re-made (and their addresses checked again) at least this often.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <exception cref="UnusableSecretException">The secret is not whsec_ followed by base64.</exception>
    public async Task<CallbackAttempt> PostAsync(Uri url, string webhookId, byte[] body, string secret, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(StandardWebhooksVerifier.IdHeader, webhookId);
        request.Headers.Add(StandardWebhooksVerifier.TimestampHeader, timestamp);
        request.Headers.Add(StandardWebhooksVerifier.SignatureHeader, StandardWebhooksVerifier.Sign(secret, webhookId, timestamp, body));

        var timeout = options.Value.Timeout;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => new CallbackAttempt(CallbackVerdict.Delivered, status, $"delivered (HTTP {status})"),
                >= 300 and < 400 => new CallbackAttempt(CallbackVerdict.Failed, status, $"HTTP {status}, a redirect, not followed"),
                _ => new CallbackAttempt(CallbackVerdict.Failed, status, $"HTTP {status}"),
            };
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new CallbackAttempt(CallbackVerdict.Failed, null,
                $"no answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException e) when (Refusal(e) is { } refused)
        {
            return new CallbackAttempt(CallbackVerdict.Refused, null, "refused: " + refused.Message);
        }
        catch (HttpRequestException e)
        {
            // The error kind only: the exception's text may quote the URL, and a URL may carry a token.
            return new CallbackAttempt(CallbackVerdict.Failed, null, $"no connection ({e.HttpRequestError})");
        }
    }

    private static CallbackDestinationRefusedException? Refusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is CallbackDestinationRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    public void Dispose() => client.Dispose();
}
