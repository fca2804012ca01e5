using System.Globalization;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge replay</c> (admin key): puts poisoned or failed messages back on the queue, named by
/// <c>--ids</c> or chosen by <c>--status</c> and a <c>--since</c>/<c>--until</c> window.
/// </summary>
public static class ReplayCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArguments.Parse(args, ["--ids", "--status", "--since", "--until", "--url"], []);
        var ids = options.Value("--ids")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var window = options.Has("--status") || options.Has("--since") || options.Has("--until");
        if (ids is null && !window)
        {
            options.Errors.Add("Say what to replay: --ids <id,id,...>, or --status poisoned|failed with --since/--until.");
        }

        var since = Moment(options, "--since");
        var until = Moment(options, "--until");
        if (options.Errors.Count > 0)
        {
            return BridgeCli.UsageError(context, options.Errors);
        }

        using var api = BridgeApiClient.From(options, context);
        if (api is null)
        {
            return ExitCodes.Failed;
        }

        var (status, body) = await api.PostAsync("api/v1/messages/replay",
            new { ids, status = options.Value("--status"), since, until }, cancellationToken);
        if (status != 202)
        {
            await context.Error.WriteLineAsync(BridgeApiClient.Describe(status, body));
            return ExitCodes.Failed;
        }

        await context.Out.WriteLineAsync($"Replayed {body.GetProperty("replayed").GetInt32()} message(s).");
        foreach (var skipped in body.GetProperty("skipped").EnumerateArray())
        {
            await context.Out.WriteLineAsync($"Skipped {skipped.GetProperty("id").GetString()}: {skipped.GetProperty("reason").GetString()}");
        }

        if (body.GetProperty("more").GetBoolean())
        {
            await context.Out.WriteLineAsync("More messages match; run the command again to replay the next ones.");
        }

        return ExitCodes.Ok;
    }

    private static DateTimeOffset? Moment(CliArguments options, string name)
    {
        if (options.Value(name) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        options.Errors.Add($"{name} must be a date and time, e.g. 2026-12-07T09:00:00Z (got '{text}').");
        return null;
    }
}
