using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bridge.Core.Callbacks;
using Bridge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Callbacks;

namespace Bridge.Core.Tests.Callbacks;

/// <summary>
/// The receiver snippets of docs/callbacks.md, run as written (Python and Node as processes, C# compiled into this
/// project and hosted in Kestrel), each sent real callbacks by Bridge's own <see cref="CallbackSender"/>: a signed one is
/// taken (204), one signed with another secret is refused (401). The page must show each file as it is.
/// </summary>
public sealed class ReceiverSnippetTests : IDisposable
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string OtherSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly CallbackSender sender = new(
        new CallbackConnector(Options.Create(new CallbackOptions { AllowPrivateNetworks = true })),
        TimeProvider.System,
        Options.Create(new CallbackOptions { Timeout = TimeSpan.FromSeconds(10) }));

    private static byte[] Body(string id) => Encoding.UTF8.GetBytes(CallbackPayload.Build(new CallbackItem
    {
        WebhookId = $"msg_{id}_000002", MessageId = id, Key = "shop", Type = "sent", At = DateTimeOffset.UtcNow, Status = "sent",
        SmtpCode = 250, SmtpReply = "2.0.0 Ok: queued", Recipient = "ann@example.org",
    }, message: null));

    public void Dispose() => sender.Dispose();

    [Theory]
    [InlineData("python3", "receiver.py")]
    [InlineData("node", "receiver.mjs")]
    public async Task Script_receiver_takes_a_signed_callback_and_refuses_one_signed_with_another_secret(string interpreter, string file)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo(interpreter, RepoPaths.Combine("docs", "callbacks", file))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["BRIDGE_CALLBACK_SECRET"] = Secret, ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{interpreter} did not start.");
        var output = new List<string>();
        process.OutputDataReceived += (_, line) => { if (line.Data is { } text) { lock (output) { output.Add(text); } } };
        process.BeginOutputReadLine();
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20), () => !process.HasExited);
            await AssertTakesSignedAndRefusesForgedAsync(new Uri($"http://127.0.0.1:{port}/"));

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!Snapshot(output).Any(l => l.StartsWith("message.sent ", StringComparison.Ordinal)))
            {
                await Task.Delay(20, deadline.Token);
            }

            Assert.Equal("message.sent m-snippet sent", Assert.Single(Snapshot(output)));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Csharp_receiver_takes_a_signed_callback_and_refuses_one_signed_with_another_secret()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        await using var app = builder.Build();
        var handled = new List<string>();
        var key = BridgeCallbacks.Key(Secret);
        app.MapPost("/bridge-callbacks", (HttpRequest request) => BridgeCallbacks.HandleAsync(request, key, TimeProvider.System, e =>
        {
            handled.Add($"{e.GetProperty("type")} {e.GetProperty("data").GetProperty("id")}");
            return Task.CompletedTask;
        }));
        await app.StartAsync();

        await AssertTakesSignedAndRefusesForgedAsync(new Uri($"http://127.0.0.1:{port}/bridge-callbacks"));

        Assert.Equal(["message.sent m-snippet"], handled);
    }

    [Theory]
    [InlineData("receiver.py")]
    [InlineData("receiver.mjs")]
    [InlineData("BridgeCallbacks.cs")]
    public void The_page_shows_each_snippet_as_the_tests_run_it(string file)
    {
        var page = File.ReadAllText(RepoPaths.Combine("docs", "callbacks.md")).ReplaceLineEndings("\n");
        var snippet = File.ReadAllText(RepoPaths.Combine("docs", "callbacks", file)).ReplaceLineEndings("\n");

        Assert.Contains(snippet.TrimEnd(), page, StringComparison.Ordinal);
    }

    private async Task AssertTakesSignedAndRefusesForgedAsync(Uri url)
    {
        var signed = await sender.PostAsync(url, "msg_m-snippet_000002", Body("m-snippet"), Secret, CancellationToken.None);
        var forged = await sender.PostAsync(url, "msg_m-snippet_000003", Body("m-snippet"), OtherSecret, CancellationToken.None);

        Assert.Equal((CallbackVerdict.Delivered, 204), (signed.Verdict, signed.HttpStatus ?? 0));
        Assert.Equal(401, forged.HttpStatus);
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }
}
