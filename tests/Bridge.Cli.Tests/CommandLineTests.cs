using System.CommandLine;
using System.Net;
using System.Net.Sockets;

namespace Bridge.Cli.Tests;

/// <summary>
/// The command line as System.CommandLine parses it: help on every command, the version, completions, and what is refused
/// before any request, prompt or file read (exit 2). The API side runs against Bridge.Server in the integration tests.
/// </summary>
public sealed class CommandLineTests
{
    public static TheoryData<string> Commands() => [.. CommandPaths()];

    /// <summary>The root's name is the process's: <c>bridge</c> when installed, the test host's here.</summary>
    internal static string RootName { get; } = BridgeCli.CreateRoot(new TestConsole().Context).Name;

    private static List<string> CommandPaths() => [.. PathsUnder(BridgeCli.CreateRoot(new TestConsole().Context), [])];

    private static IEnumerable<string> PathsUnder(Command command, string[] path) =>
        command.Subcommands.SelectMany(c => PathsUnder(c, [.. path, c.Name]).Prepend(string.Join(' ', [.. path, c.Name])));

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_has_help_that_names_it_and_its_options(string path)
    {
        var console = new TestConsole();

        var exit = await console.RunAsync([.. path.Split(' '), "--help"]);

        Assert.Equal(ExitCodes.Ok, exit);
        var help = console.Out.ToString();
        Assert.Contains($"Usage:\n  {RootName} {path}", help.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Description:", help, StringComparison.Ordinal);
        Assert.Contains("--help", help, StringComparison.Ordinal);
    }

    [Fact]
    public void The_commands_are_the_ones_the_docs_list()
    {
        Assert.Equal(["send", "status", "list", "replay", "doctor", "keys", "keys mint", "callbacks", "callbacks verify", "completion"],
            CommandPaths());
    }

    [Theory]
    [InlineData("bridge keys m", "mint")]
    [InlineData("bridge st", "status")]
    [InlineData("bridge list --status fa", "failed")]
    [InlineData("bridge doctor --security Ssl", "SslOnConnect")]
    public async Task Suggest_directive_completes_commands_options_and_values(string line, string expected)
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Ok, await console.RunAsync($"[suggest:{line.Length}]", line));
        Assert.Contains(expected, console.Out.ToString().Split('\n', StringSplitOptions.TrimEntries));
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("sned", "--to", "a@example.org")]
    [InlineData("list", "--colour", "red")]
    public async Task Unknown_command_or_option_exits_2_naming_it_with_the_usage(params string[] args)
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync(args));
        Assert.Contains($"'{args[args.Length > 2 ? 1 : 0]}'", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Usage:", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", console.Out.ToString());
    }

    [Fact]
    public async Task No_command_is_a_usage_error_that_lists_the_commands()
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync());
        Assert.Contains("Commands:", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from", "--to a@example.org --subject Hi --text Hello")]
    [InlineData("--to", "--from shop@example.org --subject Hi --text Hello")]
    [InlineData("--subject", "--from shop@example.org --to a@example.org --text Hello")]
    [InlineData("body", "--from shop@example.org --to a@example.org --subject Hi")]
    [InlineData("once", "--from shop@example.org --to a@example.org --subject Hi --text a --text-file b.txt")]
    [InlineData("--header", "--from shop@example.org --to a@example.org --subject Hi --text a --header NoColon")]
    [InlineData("--metadata", "--from shop@example.org --to a@example.org --subject Hi --text a --metadata =x")]
    public async Task Send_without_what_a_message_needs_exits_2_before_asking_for_a_key(string named, string args)
    {
        var console = new TestConsole();
        console.Environment[BridgeApiClient.UrlVariable] = "http://127.0.0.1:9";

        Assert.Equal(ExitCodes.Usage, await console.RunAsync(["send", .. args.Split(' ')]));
        Assert.Contains(named, console.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(console.Prompts);
    }

    [Fact]
    public async Task Send_of_a_file_that_is_not_there_exits_2_naming_it()
    {
        var console = new TestConsole();

        var exit = await console.RunAsync("send", "--url", "http://127.0.0.1:9", "--from", "shop@example.org", "--to", "a@example.org", "--subject", "Hi",
            "--text", "a", "--attach", "invoice.pdf");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("invoice.pdf", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list", "--url", "ftp://bridge.example.net")]
    [InlineData("status", "m1", "--url", "bridge.example.net")]
    public async Task Url_that_is_not_http_exits_2_naming_url(params string[] args)
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync(args));
        Assert.Contains("--url must be an http or https address", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(console.Prompts);
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
    public async Task Bridge_that_cannot_be_reached_exits_1_saying_so()
    {
        // A port nothing listens on: bound, then closed, so the connection is refused at once.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var console = new TestConsole();
        console.Environment[BridgeApiClient.KeyVariable] = "k";

        Assert.Equal(ExitCodes.Failed, await console.RunAsync("status", "m1", "--url", $"http://127.0.0.1:{port}"));
        Assert.Contains("Cannot reach Bridge", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list", "--key", "secret-key-on-the-line")]
    [InlineData("send", "--api-key=secret-key-on-the-line")]
    [InlineData("callbacks", "verify", "--secret", "secret-key-on-the-line")]
    public async Task A_secret_is_never_a_flag_and_never_echoed(params string[] args)
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync(args));
        Assert.Contains("never taken as a flag", console.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-on-the-line", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_without_ids_or_a_window_is_a_usage_error()
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync("replay"));
        Assert.Contains("--ids", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--since", "yesterday")]
    [InlineData("--status", "sent")]
    public async Task Replay_with_a_value_that_is_not_one_is_a_usage_error_naming_it(string option, string value)
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync("replay", option, value));
        Assert.Contains(option == "--since" ? "--since" : "'sent'", console.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_prints_a_script_that_calls_the_suggest_directive()
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Ok, await console.RunAsync("completion", "bash"));
        Assert.Contains("[suggest:${COMP_POINT}]", console.Out.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, await new TestConsole().RunAsync("completion", "fish"));
    }
}
