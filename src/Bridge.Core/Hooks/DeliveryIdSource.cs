using System.Text.Json;

namespace Bridge.Core.Hooks;

/// <summary>
/// Where a platform puts the id that stays the same when it retries a delivery: a header (GitHub, Shopify,
/// Standard Webhooks) or a payload field (Stripe's event id). It keys the idempotency record, so a retry sends nothing twice.
/// </summary>
public sealed record DeliveryIdSource(string? Header, string? PayloadField)
{
    public static readonly DeliveryIdSource None = new(null, null);

    public static DeliveryIdSource FromHeader(string header) => new(header, null);

    public static DeliveryIdSource FromPayload(string field) => new(null, field);

    /// <summary>How a problem names it: the header, or the payload field.</summary>
    public string Name => Header ?? $"payload.{PayloadField}";

    /// <summary>The delivery's id, or null when it has none.</summary>
    public string? Find(HookDelivery delivery, JsonElement payload) =>
        Header is not null ? delivery.Header(Header)
        : PayloadField is not null && payload.ValueKind == JsonValueKind.Object
          && payload.TryGetProperty(PayloadField, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()
        : null;
}
