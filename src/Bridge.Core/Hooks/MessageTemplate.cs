using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Bridge.Core.Messages;
using Fluid;
using Fluid.Values;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Hooks;

/// <summary>
/// A hook's templates, parsed once: the optional condition and the From, To, Cc, ReplyTo, Subject, Text and Html
/// that turn a payload into a send request. Templates see <c>payload</c> (the JSON body) and <c>headers</c> (the
/// request headers, lower-case names). Values written into Html are HTML-escaped; everything else is plain text.
/// </summary>
public sealed class MessageTemplate
{
    /// <summary>Escapes markup but keeps non-ASCII letters readable (HtmlEncoder.Default would turn é into &amp;#xE9;).</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly IFluidTemplate? condition;
    private readonly IFluidTemplate from;
    private readonly IReadOnlyList<IFluidTemplate> to;
    private readonly IReadOnlyList<IFluidTemplate> cc;
    private readonly IReadOnlyList<IFluidTemplate> replyTo;
    private readonly IFluidTemplate subject;
    private readonly IFluidTemplate? text;
    private readonly IFluidTemplate? html;

    private MessageTemplate(IFluidTemplate? condition, IFluidTemplate from, IReadOnlyList<IFluidTemplate> to, IReadOnlyList<IFluidTemplate> cc,
        IReadOnlyList<IFluidTemplate> replyTo, IFluidTemplate subject, IFluidTemplate? text, IFluidTemplate? html)
    {
        (this.condition, this.from, this.to, this.cc, this.replyTo) = (condition, from, to, cc, replyTo);
        (this.subject, this.text, this.html) = (subject, text, html);
    }

    /// <summary>Parses every template of <paramref name="entry"/>; a missing or broken one is named in <paramref name="failures"/> by its key.</summary>
    public static MessageTemplate? Compile(string key, HookEntry entry, LiquidTemplates liquid, ICollection<string> failures)
    {
        var before = failures.Count;
        IFluidTemplate? Field(string name, string? source, bool required)
        {
            if (string.IsNullOrWhiteSpace(source))
            {
                if (required)
                {
                    failures.Add($"{key}:{name} is required (a Liquid template).");
                }

                return null;
            }

            if (liquid.TryParse(source, out var template, out var error))
            {
                return template;
            }

            failures.Add($"{key}:{name} is not a valid Liquid template: {error}");
            return null;
        }

        IReadOnlyList<IFluidTemplate> List(string name, string? source) =>
            TemplateList.Split(source).Select((entrySource, i) => Field($"{name} entry {i + 1}", entrySource, true)).OfType<IFluidTemplate>().ToList();

        var condition = Field(nameof(HookEntry.Condition), entry.Condition is { } c && !string.IsNullOrWhiteSpace(c) ? $"{{% if {c} %}}true{{% endif %}}" : null, false);
        var from = Field(nameof(HookEntry.From), entry.From, true);
        var to = List(nameof(HookEntry.To), entry.To);
        if (TemplateList.Split(entry.To).Count == 0)
        {
            failures.Add($"{key}:To is required (comma-separated address templates).");
        }

        var cc = List(nameof(HookEntry.Cc), entry.Cc);
        var replyTo = List(nameof(HookEntry.ReplyTo), entry.ReplyTo);
        var subject = Field(nameof(HookEntry.Subject), entry.Subject, true);
        var text = Field(nameof(HookEntry.Text), entry.Text, false);
        var html = Field(nameof(HookEntry.Html), entry.Html, false);
        if (string.IsNullOrWhiteSpace(entry.Text) && string.IsNullOrWhiteSpace(entry.Html))
        {
            failures.Add($"{key}: Text or Html is required (or both).");
        }

        return failures.Count > before ? null : new MessageTemplate(condition, from!, to, cc, replyTo, subject!, text, html);
    }

    /// <summary>What the templates of one delivery see: <c>payload</c> and <c>headers</c>.</summary>
    public static IEnumerable<KeyValuePair<string, FluidValue>> Model(JsonElement payload, IHeaderDictionary headers)
    {
        var names = headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        yield return new("payload", PayloadValue.Of(payload, "payload"));
        yield return new("headers", PayloadValue.Of(JsonSerializer.SerializeToElement(names), "headers"));
    }

    /// <summary>
    /// True when the hook should act on this delivery: there is no condition, or it holds. A field the condition
    /// reads but the payload lacks makes it false, so events of another shape (GitHub's ping) are ignored, not refused.
    /// Any other error in the condition is a failure of the <c>condition</c> field.
    /// </summary>
    public bool Matches(TemplateContext context, out TemplateFailure? failure)
    {
        failure = null;
        try
        {
            return condition is null || condition.Render(context, NullEncoder.Default) == "true";
        }
        catch (UndefinedValueException)
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failure = new TemplateFailure("condition", ErrorText.FirstLine(e.Message));
            return false;
        }
    }

    /// <summary>The send request for this delivery, or null with the field that failed and why.</summary>
    public SendRequest? Render(TemplateContext context, string profile, out TemplateFailure? failure)
    {
        var field = "";
        string Run(string name, IFluidTemplate template, TextEncoder encoder)
        {
            field = name;
            return template.Render(context, encoder);
        }

        string Line(string name, IFluidTemplate template) => SingleLine(Run(name, template, NullEncoder.Default));

        List<AddressInput> Addresses(string name, IReadOnlyList<IFluidTemplate> entries) => entries
            .Select((entry, i) => Line($"{name}[{i}]", entry)).Where(address => address.Length > 0).Select(AddressInput.FromText).ToList();

        string? Body(string name, IFluidTemplate? template, TextEncoder encoder) =>
            template is not null && Run(name, template, encoder) is { Length: > 0 } body ? body : null;

        try
        {
            var request = new SendRequest
            {
                From = AddressInput.FromText(Line("from", from)),
                To = Addresses("to", to),
                Cc = Addresses("cc", cc),
                ReplyTo = Addresses("replyTo", replyTo),
                Subject = Line("subject", subject),
                Text = Body("text", text, NullEncoder.Default),
                Html = Body("html", html, Html),
                Profile = profile,
            };
            failure = null;
            return request;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Rendering does no I/O: whatever went wrong is the template's (or the payload's) doing.
            failure = new TemplateFailure(field, e is UndefinedValueException ? e.Message : ErrorText.FirstLine(e.Message));
            return null;
        }
    }

    /// <summary>A header field is one line: line breaks from the payload are folded into spaces.</summary>
    private static string SingleLine(string value) => value.ReplaceLineEndings(" ").Trim();
}
