namespace Bridge.Core.Hooks;

/// <summary>How a hook's sender proves the delivery is its own.</summary>
public enum HookScheme
{
    /// <summary><c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>.</summary>
    GitHub,

    /// <summary><c>X-Shopify-Hmac-Sha256: &lt;base64 HMAC-SHA256 of the body&gt;</c>.</summary>
    Shopify,

    /// <summary><c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>.</summary>
    Stripe,

    /// <summary><c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature: v1,&lt;base64&gt;</c> (standardwebhooks.com).</summary>
    StandardWebhooks,

    /// <summary>An HMAC of the body in a configured header, algorithm, encoding and prefix.</summary>
    Hmac,

    /// <summary>A shared token in a header or the query string, for senders that cannot sign.</summary>
    Token,
}

/// <summary>Reads a scheme's configured name, and only its name (not a number).</summary>
public static class HookSchemes
{
    public static string Known => string.Join(", ", Enum.GetNames<HookScheme>());

    public static bool TryParse(string? text, out HookScheme scheme)
    {
        scheme = default;
        return !string.IsNullOrWhiteSpace(text) && !char.IsAsciiDigit(text.Trim()[0])
            && Enum.TryParse(text.Trim(), ignoreCase: true, out scheme) && Enum.IsDefined(scheme);
    }
}
