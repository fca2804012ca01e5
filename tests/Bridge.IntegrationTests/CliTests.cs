using System.Reflection;
using System.Text;
using Bridge.Cli;
using Bridge.Testing;
using MimeKit;

namespace Bridge.IntegrationTests;

/// <summary>The <c>bridge</c> commands that talk to a Bridge, against a running Bridge.Server, and the packed dotnet tool.</summary>
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

    [Fact]
    public async Task Send_with_file_and_stdin_bodies_and_an_attachment_arrives_and_status_follows_it_to_sent()
    {
        var folder = Directory.CreateTempSubdirectory("bridge-cli-send-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "body.txt"), "Your order shipped.");
        await File.WriteAllBytesAsync(Path.Combine(folder, "invoice.pdf"), Encoding.ASCII.GetBytes("%PDF-1.4 cli"));
        var to = $"cli-send-{Guid.NewGuid():N}@example.org";

        var (code, output, _) = await RunInAsync(folder, ServerFixture.ApiKey, "<p>Shipped today.</p>", "send", "--from", "Shop <orders@shop.example>", "--to", to,
            "--subject", "Shipped", "--text-file", "body.txt", "--html-file", "-", "--attach", "invoice.pdf", "--tag", "cli", "--header", "X-Order: 42");

        Assert.Equal(0, code);
        var id = output.Trim();
        var mail = await fixture.Smtp.WaitForMailAsync(m => m.To.Contains(to), TimeSpan.FromSeconds(30));
        var message = MimeMessage.Load(new MemoryStream(mail.Raw));
        Assert.Equal("Shipped", message.Subject);
        Assert.Equal("42", message.Headers["X-Order"]);
        Assert.Equal("Your order shipped.", message.TextBody?.Trim());
        Assert.Equal("<p>Shipped today.</p>", message.HtmlBody?.Trim());
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal(("invoice.pdf", "application/pdf"), (attachment.FileName, attachment.ContentType.MimeType));

        await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s is "sent" or "failed", TimeSpan.FromSeconds(30));
        (code, output, _) = await RunAsync(ServerFixture.ApiKey, "status", id, "--fail-unless-sent");
        Assert.Equal(0, code);
        Assert.StartsWith($"{id}  sent  attempts 1  to {to}  Shipped", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  \S+ \S+  sent +  250 ", output);
    }

    [Fact]
    public async Task Refusals_from_Bridge_exit_1_with_its_problem_and_nothing_is_queued()
    {
        string[] send = ["send", "--from", "orders@shop.example", "--subject", "Refused", "--text", "x"];

        var (code, output, error) = await RunAsync("not-a-key", [.. send, "--to", "ann@example.org"]);
        Assert.Equal((1, ""), (code, output));
        Assert.StartsWith("Bridge answered 401", error, StringComparison.Ordinal);

        (code, output, error) = await RunAsync(ServerFixture.ApiKey, [.. send, "--to", "not an address"]);
        Assert.Equal((1, ""), (code, output));
        Assert.StartsWith("Bridge answered 400", error, StringComparison.Ordinal);
        Assert.Contains("\n  to", error, StringComparison.Ordinal);

        (code, _, error) = await RunAsync(ServerFixture.ApiKey, "status", "no-such-message");
        Assert.Equal(1, code);
        Assert.StartsWith("Bridge answered 404", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Packed_tool_installs_from_the_local_folder_and_sends_through_Bridge()
    {
        var work = Directory.CreateTempSubdirectory("bridge-cli-tool-").FullName;
        try
        {
            await PackInstallAndRunAsync(work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task PackInstallAndRunAsync(string work)
    {
        var (packages, tools) = (Path.Combine(work, "packages"), Path.Combine(work, "tools"));
        var configuration = RepoPaths.BuildOutput("Bridge.Cli").Split(Path.DirectorySeparatorChar)[^2];
        await File.WriteAllTextAsync(Path.Combine(work, "nuget.config"),
            $"""<configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>""");

        // The build the tests already made, packed as is; then installed with only that folder as a source.
        await ShellAsync(work, "dotnet", "pack", RepoPaths.Combine("src", "Bridge.Cli"), "--no-build", "-c", configuration, "-o", packages, "--nologo");
        await ShellAsync(work, "dotnet", "tool", "install", "bridge-cli", "--tool-path", tools, "--configfile", Path.Combine(work, "nuget.config"));
        var bridge = Path.Combine(tools, "bridge");

        var version = await ShellAsync(work, bridge, "--version");
        Assert.Equal(typeof(BridgeCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion, version.Trim());

        var to = $"cli-tool-{Guid.NewGuid():N}@example.org";
        var id = await ShellAsync(work, bridge, "send", "--from", "orders@shop.example", "--to", to, "--subject", "From the tool", "--text", "hi");
        Assert.Contains(to, (await fixture.Smtp.WaitForMailAsync(m => m.To.Contains(to), TimeSpan.FromSeconds(30))).To);
        Assert.Matches("^[A-Za-z0-9_-]+$", id.Trim());

        // Tab completion as bash runs it: the printed script asks the installed tool through the [suggest] directive.
        var completions = await ShellAsync(work, "bash", "-c", $$"""
            eval "$('{{bridge}}' completion bash)"
            COMP_WORDS=('{{bridge}}' keys m); COMP_LINE='{{bridge}} keys m'; COMP_POINT=${#COMP_LINE}
            _bridge_complete; printf '%s\n' "${COMPREPLY[@]}"
            """);
        Assert.Equal("mint", completions.Trim());
    }

    private Task<(int Code, string Out, string Error)> RunAsync(string key, params string[] args) => RunInAsync(Directory.GetCurrentDirectory(), key, null, args);

    private async Task<(int Code, string Out, string Error)> RunInAsync(string folder, string key, string? input, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var context = new CliContext(output, error, folder, Environment(key).GetValueOrDefault, _ => null) { In = new StringReader(input ?? "") };
        var code = await BridgeCli.RunAsync(args, context, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private Dictionary<string, string> Environment(string key) => new()
    {
        [BridgeApiClient.UrlVariable] = $"http://127.0.0.1:{fixture.Server.Port}",
        [BridgeApiClient.KeyVariable] = key,
    };

    /// <summary>Runs a program with this Bridge's address and key in its environment; its standard output, or a failure with both streams.</summary>
    private async Task<string> ShellAsync(string folder, string program, params string[] args)
    {
        var (exit, output, error) = await ProgramRun.RunAsync(program, args, folder, Environment(ServerFixture.ApiKey));
        Assert.True(exit == 0, $"{program} {string.Join(' ', args)} exited {exit}:\n{output}\n{error}");
        return output;
    }
}
