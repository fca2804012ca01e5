using System.CommandLine;
using Bridge.Core.Http;
using Bridge.Core.Visibility;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge replay</c> (admin key): puts poisoned or failed messages back on the queue, named by
/// <c>--ids</c> or chosen by <c>--status</c> and a <c>--since</c>/<c>--until</c> window.
/// </summary>
public static class ReplayCommand
{
    public static Command Create(CliContext context)
    {
        var ids = new Option<string[]>("--ids") { Description = "The messages to replay (comma-separated, or the option repeated).", HelpName = "id,id,..." };
        var status = new Option<string?>("--status") { Description = "Replay the messages in this state.", HelpName = "poisoned|failed" };
        status.AcceptOnlyFromAmong("poisoned", "failed");
        var since = CliOptions.Moment("--since", "With --status: created at or after this time.");
        var until = CliOptions.Moment("--until", "With --status: created before this time.");
        var url = CliOptions.Url();
        var command = new Command("replay", "Put poisoned or failed messages back on the queue (admin key).") { ids, status, since, until, url };
        command.Validators.Add(result =>
        {
            if (!result.Has(ids) && !result.Has(status) && !result.Has(since) && !result.Has(until))
            {
                result.AddError("Say what to replay: --ids <id,id,...>, or --status poisoned|failed with --since/--until.");
            }
        });
        command.SetAction((parsed, cancellationToken) => RunAsync(context, parsed.GetValue(url),
            new ReplayRequest
            {
                Ids = CliOptions.Split(parsed.GetValue(ids)) is { Length: > 0 } list ? list : null,
                Status = parsed.GetValue(status),
                Since = parsed.GetValue(since),
                Until = parsed.GetValue(until),
            }, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Uri? url, ReplayRequest request, CancellationToken cancellationToken)
    {
        using var api = BridgeApiClient.From(url, context);
        if (api is null)
        {
            return ExitCodes.Failed;
        }

        var (status, body) = await api.PostAsync("api/" + ApiRoutes.ReplayMany, request, cancellationToken);
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
}
