using Bridge.Cli;

namespace Bridge.IntegrationTests;

/// <summary><c>bridge list</c> and <c>bridge replay</c> against a running Bridge.Server.</summary>
[Collection(ServerCollection.Name)]
public sealed class CliTests(ServerFixture fixture)
{
    [Fact]
    public async Task List_prints_the_keys_messages_newest_first_and_replay_reports_what_it_skipped()
    {
        var subject = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var first = ServerFixture.Id((await fixture.PostAsync(ServerFixture.Mail(subject + "-a", to: ["cli-a@example.org"]))).Body);
        var second = ServerFixture.Id((await fixture.PostAsync(ServerFixture.Mail(subject + "-b", to: ["cli-a@example.org"]))).Body);

        var (code, output, _) = await RunAsync(ServerFixture.ApiKey, "list", "--to", "cli-a@example.org", "--limit", "1", "--all");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([second, first], lines.Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[2]));
        Assert.Contains(subject + "-b", lines[0], StringComparison.Ordinal);

        (code, output, _) = await RunAsync(ServerFixture.AdminKey, "replay", "--ids", first);
        Assert.Equal(0, code);
        Assert.Contains($"Skipped {first}: not-replayable", output, StringComparison.Ordinal);

        (code, _, var error) = await RunAsync(ServerFixture.ApiKey, "list", "--limit", "500");
        Assert.Equal(1, code);
        Assert.Contains("limit", error, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(string key, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var environment = new Dictionary<string, string>
        {
            ["BRIDGE_URL"] = $"http://127.0.0.1:{fixture.Server.Port}",
            ["BRIDGE_API_KEY"] = key,
        };
        var context = new CliContext(output, error, Directory.GetCurrentDirectory(), environment.GetValueOrDefault, _ => null);
        var code = await BridgeCli.RunAsync(args, context, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
