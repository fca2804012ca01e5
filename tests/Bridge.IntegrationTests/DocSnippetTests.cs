using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// Runs the snippets of docs/clients.md, taken from the file as they stand (each fenced block after a
/// <c>&lt;!-- snippet: name --&gt;</c> line), against Bridge.Server with BRIDGE_URL and BRIDGE_API_KEY set, and waits
/// for the mail each sends at the SMTP server: the doc and what works cannot drift apart. curl, node, python3, php
/// (Debian's php-cli and php-curl) and the dotnet SDK (a file-based app) run them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class DocSnippetTests(ServerFixture fixture)
{
    private static readonly string Doc = File.ReadAllText(RepoPaths.Combine("docs", "clients.md"));

    [Theory]
    [InlineData("curl", "Hello from curl")]
    [InlineData("node-fetch", "Hello from Node")]
    [InlineData("python-urllib", "Hello from Python")]
    [InlineData("php-curl", "Hello from PHP")]
    [InlineData("node-sendgrid", "Hello from @sendgrid/mail")]
    [InlineData("node-postmark", "Hello from postmark")]
    public async Task Snippet_runs_and_its_mail_arrives(string name, string subject)
    {
        var code = Snippet(name);
        var (program, extension) = name.Split('-')[0] switch
        {
            "curl" => ("bash", ".sh"),
            "python" => ("python3", ".py"),
            "php" => ("php", ".php"),
            // fetch's snippet uses top-level await (a module); the SDK snippets use require (CommonJS).
            _ => ("node", name == "node-fetch" ? ".mjs" : ".js"),
        };

        await RunAsync(program, code, extension, TimeSpan.FromSeconds(60));

        Assert.Contains(subject, code, StringComparison.Ordinal);
        await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(30));
    }

    /// <summary>Both C# snippets in one file-based app, so the SDK builds it once: each in its own block.</summary>
    [Fact]
    public async Task CSharp_snippets_run_and_their_mail_arrives()
    {
        var snippets = new[] { Snippet("csharp-httpclient"), Snippet("csharp-sendgrid") };
        var directives = snippets.SelectMany(s => s.Split('\n')).Where(line => UsingDirective().IsMatch(line)).Distinct();
        var bodies = snippets.Select(s => "{\n" + string.Join('\n', s.Split('\n').Where(line => !UsingDirective().IsMatch(line))) + "\n}");
        // A file-based app is AOT-ready by default, which turns off reflection-based JSON; the snippets are for an
        // ordinary project, where it is on.
        var app = $"#:package SendGrid@9.29.3\n#:property PublishAot=false\n{string.Join('\n', directives)}\n{string.Join('\n', bodies)}\n";

        await RunAsync("dotnet", app, ".cs", TimeSpan.FromMinutes(3), "run");

        foreach (var subject in new[] { "Hello from C#", "Hello from SendGrid for C#" })
        {
            await fixture.Smtp.WaitForMailAsync(m => m.Parse().Subject == subject, TimeSpan.FromSeconds(30));
        }
    }

    private static string Snippet(string name)
    {
        var match = Regex.Match(Doc, $@"<!-- snippet: {Regex.Escape(name)} -->\n```\w+\n(.*?)\n```", RegexOptions.Singleline);
        Assert.True(match.Success, $"docs/clients.md has no snippet '{name}'.");
        return match.Groups[1].Value;
    }

    /// <summary>Writes the code to a scratch folder and runs it there with the settings every snippet reads.</summary>
    private async Task RunAsync(string program, string code, string extension, TimeSpan timeout, string? verb = null)
    {
        var folder = Directory.CreateTempSubdirectory("bridge-snippet-");
        try
        {
            var file = Path.Combine(folder.FullName, "snippet" + extension);
            await File.WriteAllTextAsync(file, code);
            var start = new ProcessStartInfo(program) { WorkingDirectory = folder.FullName };
            if (verb is not null)
            {
                start.ArgumentList.Add(verb);
            }

            start.ArgumentList.Add(file);
            start.Environment["BRIDGE_URL"] = $"http://127.0.0.1:{fixture.Server.Port}/api";
            start.Environment["BRIDGE_API_KEY"] = ServerFixture.ApiKey;
            start.Environment["NODE_PATH"] = string.Join(Path.PathSeparator,
                NodePeer.Modules("BRIDGE_SENDGRID_MODULES", "npm-@sendgrid-mail").Value, NodePeer.Modules("BRIDGE_POSTMARK_MODULES", "npm-postmark").Value);
            await NodePeer.RunAsync(start, timeout, "--- code ---\n" + code);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"^using [A-Z][\w.]*;\r?$")]
    private static partial Regex UsingDirective();
}
