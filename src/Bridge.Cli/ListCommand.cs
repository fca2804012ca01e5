using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Bridge.Core.Events;
using Bridge.Core.Http;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge list</c>: a running Bridge's messages, newest first, as a table (or <c>--json</c>), with the
/// same filters as <c>GET /api/v1/messages</c>. One page unless <c>--all</c>; the next page's cursor is printed.
/// </summary>
public static class ListCommand
{
    private static readonly string[] Statuses = [.. Enum.GetValues<MessageStatus>().Select(s => s.ToWire())];

    public static Command Create(CliContext context)
    {
        Option<string?>[] filters =
        [
            new("--status") { Description = "Only messages in this state: " + string.Join(", ", Statuses) + "." },
            new("--to") { Description = "Only messages to this recipient (any of To, Cc, Bcc)." },
            new("--from") { Description = "Only messages from this sender." },
            new("--tag") { Description = "Only messages with this tag." },
            new("--since") { Description = "Only messages created at or after this time (RFC 3339).", HelpName = "time" },
            new("--until") { Description = "Only messages created before this time (RFC 3339).", HelpName = "time" },
            new("--limit") { Description = "Messages per page (1 to 200, default 50).", HelpName = "n" },
        ];
        filters[0].CompletionSources.Add(Statuses);
        var cursor = new Option<string?>("--cursor") { Description = "Start at this page (the cursor a previous list printed)." };
        var all = new Option<bool>("--all") { Description = "Follow the cursor to the last page." };
        var json = CliOptions.Json("One JSON object per message (the API's item shape) instead of a table.");
        var url = CliOptions.Url();
        var command = new Command("list", "A running Bridge's messages, newest first (scope read; an admin key sees every key's).")
        {
            cursor, all, json, url,
        };
        foreach (var filter in filters)
        {
            command.Add(filter);
        }

        command.SetAction((parsed, cancellationToken) => RunAsync(context, parsed.GetValue(url),
            filters.Where(f => parsed.GetValue(f) is not null).Select(f => (f.Name[2..], parsed.GetValue(f)!)).ToList(),
            parsed.GetValue(cursor), parsed.GetValue(all), parsed.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Uri? url, List<(string Name, string Value)> filters, string? cursor, bool all, bool json,
        CancellationToken cancellationToken)
    {
        using var api = BridgeApiClient.From(url, context);
        if (api is null)
        {
            return ExitCodes.Failed;
        }

        var query = string.Join("&", filters.Select(f => $"{f.Name}={Uri.EscapeDataString(f.Value)}"));
        var printed = 0;
        do
        {
            var path = "api/" + ApiRoutes.Messages + "?" + query + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var (status, body) = await api.GetAsync(path, cancellationToken);
            if (status != 200)
            {
                await context.Error.WriteLineAsync(BridgeApiClient.Describe(status, body));
                return ExitCodes.Failed;
            }

            var items = body.GetProperty("items").EnumerateArray().ToList();
            cursor = body.GetProperty("next").GetString();
            foreach (var item in items)
            {
                await context.Out.WriteLineAsync(json ? item.GetRawText() : Row(item));
            }

            printed += items.Count;
        }
        while (cursor is not null && all);

        if (!json)
        {
            await context.Error.WriteLineAsync(cursor is null
                ? $"{printed} message(s)."
                : $"{printed} message(s); more with --cursor {cursor} (or --all).");
        }

        return ExitCodes.Ok;
    }

    /// <summary>One message as a line: when (UTC), status, id, first recipient (and how many more), subject.</summary>
    private static string Row(JsonElement item)
    {
        var to = item.GetProperty("to").EnumerateArray().Select(t => t.GetString() ?? "").ToList();
        var recipients = to.Count switch { 0 => "", 1 => to[0], _ => $"{to[0]} +{to.Count - 1}" };
        var created = item.GetProperty("createdAt").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return $"{created}  {item.GetProperty("status").GetString(),-8}  {item.GetProperty("id").GetString()}  {recipients,-32}  {item.GetProperty("subject").GetString()}";
    }
}
