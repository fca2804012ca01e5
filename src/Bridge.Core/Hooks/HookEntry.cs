namespace Bridge.Core.Hooks;

/// <summary>
/// One hook as configured under <c>Bridge:Hooks:&lt;name&gt;</c>: how to verify the sender, when to act,
/// and the Liquid templates that turn the payload into a message. Only the secret's name is configured.
/// </summary>
public sealed class HookEntry
{
    /// <summary>GitHub, Shopify, Stripe, StandardWebhooks, Hmac or Token.</summary>
    public string? Scheme { get; set; }

    /// <summary>Name of the signing secret (or token) in the secret store: letters and digits.</summary>
    public string? SecretName { get; set; }

    /// <summary>Hmac: the signature header. Token: the header that carries the token.</summary>
    public string? Header { get; set; }

    /// <summary>Hmac: sha1, sha256 (the default) or sha512.</summary>
    public string? Algorithm { get; set; }

    /// <summary>Hmac: hex (the default) or base64.</summary>
    public string? Encoding { get; set; }

    /// <summary>Hmac: text before the signature in the header, such as <c>sha256=</c>.</summary>
    public string? Prefix { get; set; }

    /// <summary>Token: the query string parameter that carries the token, for senders that cannot set a header.</summary>
    public string? QueryParameter { get; set; }

    /// <summary>Stripe and StandardWebhooks: how far a signed timestamp may be from now, either way.</summary>
    public int ToleranceSeconds { get; set; } = 300;

    /// <summary>The header with the platform's delivery id, when the scheme has none of its own (or to override it).</summary>
    public string? DeliveryIdHeader { get; set; }

    /// <summary>Or the top-level payload field with the delivery id (such as <c>event_id</c>), for platforms that put it there.</summary>
    public string? DeliveryIdField { get; set; }

    /// <summary>A Liquid condition such as <c>payload.type == "order.created"</c>; when false the delivery is ignored.</summary>
    public string? Condition { get; set; }

    /// <summary>Template of the sender address.</summary>
    public string? From { get; set; }

    /// <summary>Comma-separated recipient templates; each entry renders one address (or nothing).</summary>
    public string? To { get; set; }

    /// <summary>Comma-separated copy recipient templates, like <see cref="To"/>.</summary>
    public string? Cc { get; set; }

    /// <summary>Comma-separated reply-to templates, like <see cref="To"/>.</summary>
    public string? ReplyTo { get; set; }

    /// <summary>Template of the subject (plain text).</summary>
    public string? Subject { get; set; }

    /// <summary>Template of the plain-text body.</summary>
    public string? Text { get; set; }

    /// <summary>Template of the HTML body: values from the payload are HTML-escaped.</summary>
    public string? Html { get; set; }

    /// <summary>The SMTP profile the messages go out through; <c>default</c> when empty.</summary>
    public string? Profile { get; set; }

    /// <summary>Comma-separated addresses or <c>@domain</c> entries the rendered From may be; empty allows any the profile allows.</summary>
    public string? AllowedFrom { get; set; }

    /// <summary>Messages per UTC day this hook may queue; 0 turns the limit off.</summary>
    public int MessagesPerDay { get; set; }
}
