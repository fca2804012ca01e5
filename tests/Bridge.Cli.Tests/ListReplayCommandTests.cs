namespace Bridge.Cli.Tests;

/// <summary>What <c>bridge list</c> and <c>bridge replay</c> refuse before any request (the API side runs in the integration tests).</summary>
public sealed class ListReplayCommandTests
{
    [Fact]
    public async Task Replay_without_ids_or_a_window_is_a_usage_error()
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync("replay"));
        Assert.Contains("--ids", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_with_a_time_that_is_not_one_is_a_usage_error_naming_it()
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync("replay", "--status", "failed", "--since", "yesterday"));
        Assert.Contains("--since", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_without_an_address_says_how_to_give_one_and_asks_for_no_key()
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Failed, await console.RunAsync("list", "--tag", "x"));
        Assert.Contains("BRIDGE_URL", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public async Task The_key_is_never_a_flag()
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync("list", "--key", "secret"));
        Assert.Contains("Unknown option --key", console.Error.ToString(), StringComparison.Ordinal);
    }
}
