using System.Globalization;
using Bridge.Core.Callbacks;
using Bridge.Core.Hooks;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge callbacks verify --body body.json (--headers headers.txt | --id .. --timestamp .. --signature ..) [--max-age s]</c>:
/// checks a saved callback's signature with <see cref="CallbackVerifier"/>, to help a user debug their receiver. The secret
/// comes from BRIDGE_CALLBACK_SECRET or a prompt, never from the command line (shell history keeps that).
/// </summary>
public static class CallbacksVerifyCommand
{
    public const string SecretVariable = "BRIDGE_CALLBACK_SECRET";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var options = CliArguments.Parse(args, ["--body", "--headers", "--id", "--timestamp", "--signature", "--max-age"], []);
        var bodyPath = options.Value("--body");
        var headersPath = options.Value("--headers");
        var maxAge = options.Number("--max-age");
        if (bodyPath is null)
        {
            options.Errors.Add("--body is required: the file holding the callback's exact body bytes.");
        }

        string[] parts = ["--id", "--timestamp", "--signature"];
        if (headersPath is null ? !parts.All(options.Has) : parts.Any(options.Has))
        {
            options.Errors.Add("Give either --headers <file> or all of --id, --timestamp and --signature.");
        }

        byte[] body = [];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            if (options.Errors.Count == 0)
            {
                body = await File.ReadAllBytesAsync(Path.Combine(context.WorkingDirectory, bodyPath!), cancellationToken);
                foreach (var (name, value) in headersPath is null
                    ? new Dictionary<string, string>
                    {
                        [StandardWebhooksVerifier.IdHeader] = options.Value("--id")!,
                        [StandardWebhooksVerifier.TimestampHeader] = options.Value("--timestamp")!,
                        [StandardWebhooksVerifier.SignatureHeader] = options.Value("--signature")!,
                    }
                    : CallbackVerifier.ParseHeaders(await File.ReadAllTextAsync(Path.Combine(context.WorkingDirectory, headersPath), cancellationToken)))
                {
                    headers[name] = value;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            options.Errors.Add($"Cannot read the saved callback: {e.Message}");
        }

        if (options.Errors.Count > 0)
        {
            return BridgeCli.UsageError(context, options.Errors);
        }

        var secret = context.Environment(SecretVariable) ?? context.ReadSecret("Callback secret (whsec_...): ");
        if (string.IsNullOrEmpty(secret))
        {
            return BridgeCli.UsageError(context, [$"No secret: set {SecretVariable} or type it at the prompt."]);
        }

        try
        {
            var age = maxAge is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            if (CallbackVerifier.Verify(body, headers, secret, DateTimeOffset.UtcNow, age) is { } refusal)
            {
                await context.Error.WriteLineAsync($"Not verified: {refusal}.");
                return ExitCodes.Failed;
            }
        }
        catch (UnusableSecretException e)
        {
            await context.Error.WriteLineAsync($"Not verified: {e.Message}");
            return ExitCodes.Failed;
        }

        var type = CallbackPayloadType(body);
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Verified: {headers[StandardWebhooksVerifier.IdHeader]}{(type is null ? "" : $" ({type})")} is signed with this secret."));
        return ExitCodes.Ok;
    }

    private static string? CallbackPayloadType(byte[] body)
    {
        try
        {
            return CallbackPayload.Parse(System.Text.Encoding.UTF8.GetString(body))?.Type;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
