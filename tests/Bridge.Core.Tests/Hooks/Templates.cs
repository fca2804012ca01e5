using System.Text.Json;
using Bridge.Core.Hooks;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Hooks;

/// <summary>Compiles a hook's templates and renders them against a payload, as the endpoint does.</summary>
internal static class Templates
{
    public static readonly LiquidTemplates Liquid = new(new FakeTimeProvider(Deliveries.Now));

    public static HookEntry Entry(string subject = "Hello", string? text = "Body", string? html = null, string to = "ops@shop.example", string? condition = null) => new()
    {
        Scheme = "GitHub",
        SecretName = "HookSecret",
        From = "Shop <orders@shop.example>",
        To = to,
        Subject = subject,
        Text = text,
        Html = html,
        Condition = condition,
    };

    public static MessageTemplate Compile(HookEntry entry)
    {
        var failures = new List<string>();
        var template = MessageTemplate.Compile("Bridge:Hooks:test", entry, Liquid, failures);
        Assert.Empty(failures);
        return template!;
    }

    public static Fluid.TemplateContext Context(string payload, params (string Name, string Value)[] headers)
    {
        using var document = JsonDocument.Parse(payload);
        var dictionary = new HeaderDictionary(headers.ToDictionary(h => h.Name, h => new StringValues(h.Value)));
        return Liquid.NewContext(MessageTemplate.Model(document.RootElement.Clone(), dictionary));
    }

    public static (SendRequest? Request, TemplateFailure? Failure) Render(HookEntry entry, string payload, params (string Name, string Value)[] headers)
    {
        var request = Compile(entry).Render(Context(payload, headers), "default", out var failure);
        return (request, failure);
    }
}
