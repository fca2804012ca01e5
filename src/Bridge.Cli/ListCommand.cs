using System.Globalization;
using System.Text.Json;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge list</c>: a running Bridge's messages, newest first, as a table (or <c>--json</c>), with the
/// same filters as <c>GET /api/v1/messages</c>. One page unless <c>--all</c>; the next page's cursor is printed.
/// </summary>
public static class ListCommand
{
    private static readonly string[] Filters = ["--status", "--to", "--from", "--tag", "--since", "--until", "--limit", "--cursor"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArguments.Parse(args, [.. Filters, "--url"], ["--all", "--json"]);
        if (options.Errors.Count > 0)
        {
            return BridgeCli.UsageError(context, options.Errors);
        }

        using var api = BridgeApiClient.From(options, context);
        if (api is null)
        {
            return ExitCodes.Failed;
        }

        var query = string.Join("&", Filters.Where(f => f != "--cursor" && options.Value(f) is not null)
            .Select(f => $"{f[2..]}={Uri.EscapeDataString(options.Value(f)!)}"));
        var cursor = options.Value("--cursor");
        var printed = 0;
        do
        {
            var path = "api/v1/messages?" + query + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
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
                await context.Out.WriteLineAsync(options.Has("--json") ? item.GetRawText() : Row(item));
            }

            printed += items.Count;
        }
        while (cursor is not null && options.Has("--all"));

        if (!options.Has("--json"))
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
