using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Bridge.Core.Events;
using Bridge.Core.Http;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge status &lt;id&gt;</c>: a message's state and timeline from <c>GET /api/v1/messages/{id}</c>, as lines (or <c>--json</c>).
/// Exit 0 when Bridge answered, whatever the state; <c>--fail-unless-sent</c> makes any other state exit 1, for scripts.
/// </summary>
public static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The message id that send printed (or Bridge answered)." };
        var json = CliOptions.Json("Print Bridge's JSON answer (the message and its events).");
        var failUnlessSent = new Option<bool>("--fail-unless-sent") { Description = "Exit 1 unless the message is sent." };
        var url = CliOptions.Url();
        var command = new Command("status", "A message's state and timeline (scope read).") { id, json, failUnlessSent, url };
        command.SetAction((parsed, cancellationToken) =>
            RunAsync(context, parsed.GetValue(url), parsed.GetRequiredValue(id), parsed.GetValue(json), parsed.GetValue(failUnlessSent), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Uri? url, string id, bool json, bool failUnlessSent, CancellationToken cancellationToken)
    {
        using var api = BridgeApiClient.From(url, context);
        if (api is null)
        {
            return ExitCodes.Failed;
        }

        var (status, body) = await api.GetAsync("api/" + ApiRoutes.Message.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal), cancellationToken);
        if (status != 200)
        {
            await context.Error.WriteLineAsync(BridgeApiClient.Describe(status, body));
            return ExitCodes.Failed;
        }

        var state = body.GetProperty("status").GetString();
        if (json)
        {
            await context.Out.WriteLineAsync(body.GetRawText());
        }
        else
        {
            await context.Out.WriteLineAsync($"{body.GetProperty("id").GetString()}  {state}  attempts {body.GetProperty("attempts").GetInt32()}  " +
                                             $"to {string.Join(", ", body.GetProperty("to").EnumerateArray().Select(t => t.GetString()))}  {body.GetProperty("subject").GetString()}");
            foreach (var e in body.GetProperty("events").EnumerateArray())
            {
                await context.Out.WriteLineAsync("  " + Event(e));
            }
        }

        return failUnlessSent && state != MessageStatus.Sent.ToWire() ? ExitCodes.Failed : ExitCodes.Ok;
    }

    /// <summary>One event: when (UTC), its type, and what it carries (the SMTP reply, the recipient, the detail).</summary>
    private static string Event(JsonElement e)
    {
        var at = e.GetProperty("at").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var parts = new List<string> { at, $"{e.GetProperty("type").GetString(),-10}" };
        if (e.TryGetProperty("smtp", out var smtp))
        {
            parts.Add($"{smtp.GetProperty("code").GetInt32()} {smtp.GetProperty("reply").GetString()}");
        }

        foreach (var name in new[] { "recipient", "profile", "detail" })
        {
            if (e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                parts.Add($"{name} {value.GetString()}");
            }
        }

        return string.Join("  ", parts);
    }
}
