using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bridge.Core.Messages;

/// <summary>An address as posted: either <c>"Name &lt;a@b&gt;"</c> or <c>{"email": "...", "name": "..."}</c>.</summary>
[JsonConverter(typeof(AddressInputJsonConverter))]
public sealed record AddressInput(string? Email, string? Name, string? Text)
{
    public static AddressInput FromText(string text) => new(null, null, text);

    public override string ToString() => Text ?? (Name is null ? Email ?? "" : $"{Name} <{Email}>");
}

/// <summary>Reads the two accepted shapes of an address and nothing else.</summary>
public sealed class AddressInputJsonConverter : JsonConverter<AddressInput>
{
    public override AddressInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return AddressInput.FromText(reader.GetString()!);
            case JsonTokenType.StartObject:
                string? email = null, name = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var property = reader.GetString();
                    reader.Read();
                    if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                    {
                        throw new JsonException($"'{property}' must be a string.");
                    }

                    switch (property)
                    {
                        case "email": email = reader.GetString(); break;
                        case "name": name = reader.GetString(); break;
                        default: throw new JsonException($"'{property}' is not a field of an address (use email and name).");
                    }
                }

                return new AddressInput(email, name, null);
            default:
                throw new JsonException("An address must be a string like \"Name <user@example.org>\" or an object {\"email\": ..., \"name\": ...}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, AddressInput value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
