using System.Text;

namespace Bridge.Core.Hooks;

/// <summary>
/// An HMAC of the raw body, keyed with the secret's UTF-8 bytes, in one header: GitHub
/// (<c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>), Shopify (<c>X-Shopify-Hmac-Sha256: &lt;base64&gt;</c>) and any
/// platform configured with the generic Hmac scheme.
/// </summary>
public sealed class HmacHeaderVerifier(string header, HmacAlgorithm algorithm, SignatureEncoding encoding, string prefix) : HookVerifier
{
    public string HeaderName => header;

    public override string? Verify(HookDelivery delivery, string secret, DateTimeOffset now)
    {
        if (delivery.Header(header) is not { } presented)
        {
            return Missing(header);
        }

        if (!presented.StartsWith(prefix, StringComparison.Ordinal))
        {
            return $"the {header} header does not start with '{prefix}'";
        }

        var expected = algorithm.Compute(Encoding.UTF8.GetBytes(secret), delivery.Body);
        return encoding.Matches(expected, presented[prefix.Length..].Trim())
            ? null
            : $"the {header} signature does not match the body";
    }
}
