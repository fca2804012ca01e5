using System.Text;

namespace Bridge.Core.Hooks;

/// <summary>
/// Stripe's scheme: <c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=...][,v0=...]</c>, where each v1 is the hex
/// HMAC-SHA256 of <c>"&lt;t&gt;.&lt;raw body&gt;"</c> keyed with the endpoint's whole signing secret (<c>whsec_...</c>,
/// used as text). Several v1 values appear while a secret rolls; one match is enough. Other schemes (v0) are ignored.
/// </summary>
public sealed class StripeSignatureVerifier(TimeSpan tolerance) : HookVerifier
{
    public const string HeaderName = "Stripe-Signature";

    public override string? Verify(HookDelivery delivery, string secret, DateTimeOffset now)
    {
        if (delivery.Header(HeaderName) is not { } header)
        {
            return Missing(HeaderName);
        }

        string? timestamp = null;
        var signatures = new List<string>();
        foreach (var element in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = element.IndexOf('=', StringComparison.Ordinal);
            switch (equals > 0 ? element[..equals] : "")
            {
                case "t": timestamp = element[(equals + 1)..]; break;
                case "v1": signatures.Add(element[(equals + 1)..]); break;
            }
        }

        if (timestamp is null || signatures.Count == 0)
        {
            return $"the {HeaderName} header has no t= timestamp or no v1= signature";
        }

        var expected = HmacAlgorithm.Sha256.Compute(Encoding.UTF8.GetBytes(secret), Prefixed(timestamp, delivery.Body));
        return signatures.Any(signature => SignatureEncoding.Hex.Matches(expected, signature))
            ? TimestampWindow.Check(timestamp, now, tolerance)
            : $"no v1 signature in the {HeaderName} header matches the body";
    }
}
