using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bridge.Core.Hooks;

namespace Bridge.Cli.Tests;

/// <summary><c>bridge callbacks verify</c> on saved callbacks signed by Bridge's signer: 0 signed with the secret, 1 not, 2 a wrong command line.</summary>
public sealed class CallbacksVerifyCommandTests
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private const string Body = """{"type":"message.sent","timestamp":"2026-12-07T06:00:00+00:00","data":{"id":"m1","status":"sent","to":["ann@example.org"]}}""";
    private const string Id = "msg_m1_000002";
    private static readonly string Timestamp = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static TestConsole Saved(string body = Body, string? secret = null, string? headers = null)
    {
        var console = new TestConsole();
        console.Environment[CallbacksCommand.SecretVariable] = secret ?? Secret;
        File.WriteAllText(Path.Combine(console.WorkingDirectory, "body.json"), body);
        File.WriteAllText(Path.Combine(console.WorkingDirectory, "headers.txt"), headers ??
            $"POST /hooks/bridge HTTP/1.1\nHost: shop.example\nContent-Type: application/json\nwebhook-id: {Id}\nwebhook-timestamp: {Timestamp}\n" +
            $"webhook-signature: {StandardWebhooksVerifier.Sign(Secret, Id, Timestamp, Encoding.UTF8.GetBytes(Body))}\n");
        return console;
    }

    [Fact]
    public async Task Saved_callback_signed_with_the_secret_is_verified()
    {
        var console = Saved();

        var exit = await console.RunAsync("callbacks", "verify", "--body", "body.json", "--headers", "headers.txt");

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal($"Verified: {Id} (message.sent) is signed with this secret.", console.Out.ToString().Trim());
    }

    [Fact]
    public async Task Headers_can_be_given_as_options_and_the_secret_typed_at_the_prompt()
    {
        var console = Saved();
        console.Environment.Clear();
        console.TypedPassword = Secret;
        var signature = StandardWebhooksVerifier.Sign(Secret, Id, Timestamp, Encoding.UTF8.GetBytes(Body));

        var exit = await console.RunAsync("callbacks", "verify", "--body", "body.json", "--id", Id, "--timestamp", Timestamp, "--signature", signature);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Single(console.Prompts);
    }

    [Fact]
    public async Task Changed_body_or_another_secret_is_not_verified_and_the_secret_is_never_printed()
    {
        var changed = Saved(body: Body.Replace("\"sent\"", "\"failed\"", StringComparison.Ordinal));
        var other = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var wrongSecret = Saved(secret: other);

        Assert.Equal(ExitCodes.Failed, await changed.RunAsync("callbacks", "verify", "--body", "body.json", "--headers", "headers.txt"));
        Assert.Equal(ExitCodes.Failed, await wrongSecret.RunAsync("callbacks", "verify", "--body", "body.json", "--headers", "headers.txt"));
        Assert.Contains("no v1 signature in the webhook-signature header matches the body", changed.Error.ToString());
        Assert.DoesNotContain(other, wrongSecret.Error.ToString() + wrongSecret.Out.ToString());
    }

    [Fact]
    public async Task Old_callback_fails_only_when_a_maximum_age_is_asked_for()
    {
        var console = Saved();

        var exit = await console.RunAsync("callbacks", "verify", "--body", "body.json", "--headers", "headers.txt", "--max-age", "300");

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.Contains("old", console.Error.ToString());
    }

    [Fact]
    public async Task Missing_header_is_named()
    {
        var console = Saved(headers: $"webhook-id: {Id}\nwebhook-timestamp: {Timestamp}\n");

        Assert.Equal(ExitCodes.Failed, await console.RunAsync("callbacks", "verify", "--body", "body.json", "--headers", "headers.txt"));
        Assert.Contains("the webhook-signature header is missing", console.Error.ToString());
    }

    [Theory]
    [InlineData("--headers", "headers.txt")]
    [InlineData("--body", "body.json")]
    [InlineData("--body", "missing.json", "--headers", "headers.txt")]
    [InlineData("--body", "body.json", "--headers", "headers.txt", "--id", "x")]
    public async Task Wrong_command_line_or_unreadable_file_is_a_usage_error(params string[] args)
    {
        var console = Saved();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync(["callbacks", "verify", .. args]));
    }

    [Fact]
    public async Task Secret_that_is_not_whsec_base64_is_not_verified()
    {
        var console = Saved(secret: "whsec_not base64!");

        Assert.Equal(ExitCodes.Failed, await console.RunAsync("callbacks", "verify", "--body", "body.json", "--headers", "headers.txt"));
        Assert.Contains("whsec_ followed by base64", console.Error.ToString());
    }
}
