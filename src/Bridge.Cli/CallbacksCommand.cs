using System.CommandLine;
using System.Globalization;
using Bridge.Core.Callbacks;
using Bridge.Core.Hooks;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge callbacks verify --body body.json (--headers headers.txt | --id .. --timestamp .. --signature ..) [--max-age s]</c>:
/// checks a saved callback's signature with <see cref="CallbackVerifier"/>, to help a user debug their receiver. The secret
/// comes from BRIDGE_CALLBACK_SECRET or a prompt, never from the command line (shell history keeps that).
/// </summary>
public static class CallbacksCommand
{
    public const string SecretVariable = "BRIDGE_CALLBACK_SECRET";

    public static Command Create(CliContext context)
    {
        var body = new Option<string>("--body") { Description = "The file holding the callback's exact body bytes.", HelpName = "file", Required = true };
        var headers = new Option<string?>("--headers")
        {
            Description = "A file with the callback's headers, one 'name: value' a line (a raw HTTP request head or a JSON object works too).",
            HelpName = "file",
        };
        var id = new Option<string?>("--id") { Description = "The webhook-id header (instead of --headers)." };
        var timestamp = new Option<string?>("--timestamp") { Description = "The webhook-timestamp header, unix seconds (instead of --headers).", HelpName = "unix-seconds" };
        var signature = new Option<string?>("--signature") { Description = "The webhook-signature header, v1,<base64> (instead of --headers).", HelpName = "v1,..." };
        var maxAge = new Option<int?>("--max-age") { Description = "Refuse a callback older than this (default: any age, as saved callbacks are old).", HelpName = "seconds" };
        Option[] parts = [id, timestamp, signature];
        var verify = new Command("verify",
            $"Check a saved callback's signature; the secret (whsec_...) from {SecretVariable} or a prompt. Exit 0 signed with it, 1 not, 2 wrong command line or unreadable files.")
        {
            body, headers, id, timestamp, signature, maxAge,
        };
        verify.Validators.Add(result =>
        {
            if (!result.Has(headers) ? !parts.All(p => result.Has(p)) : parts.Any(p => result.Has(p)))
            {
                result.AddError("Give either --headers <file> or all of --id, --timestamp and --signature.");
            }
        });
        verify.SetAction((parsed, cancellationToken) => VerifyAsync(context, verify, new SavedCallback(parsed.GetRequiredValue(body), parsed.GetValue(headers),
            parsed.GetValue(id), parsed.GetValue(timestamp), parsed.GetValue(signature)), parsed.GetValue(maxAge), cancellationToken));
        return new Command("callbacks", "Bridge's signed delivery callbacks.") { verify };
    }

    private static async Task<int> VerifyAsync(CliContext context, Command command, SavedCallback saved, int? maxAge, CancellationToken cancellationToken)
    {
        byte[] body = [];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            body = await File.ReadAllBytesAsync(Path.Combine(context.WorkingDirectory, saved.BodyPath), cancellationToken);
            foreach (var (name, value) in saved.HeadersPath is null
                ? new Dictionary<string, string>
                {
                    [StandardWebhooksVerifier.IdHeader] = saved.Id!,
                    [StandardWebhooksVerifier.TimestampHeader] = saved.Timestamp!,
                    [StandardWebhooksVerifier.SignatureHeader] = saved.Signature!,
                }
                : CallbackVerifier.ParseHeaders(await File.ReadAllTextAsync(Path.Combine(context.WorkingDirectory, saved.HeadersPath), cancellationToken)))
            {
                headers[name] = value;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return BridgeCli.UsageError(context, command, [$"Cannot read the saved callback: {e.Message}"]);
        }

        var secret = context.Environment(SecretVariable) ?? context.ReadSecret("Callback secret (whsec_...): ");
        if (string.IsNullOrEmpty(secret))
        {
            return BridgeCli.UsageError(context, command, [$"No secret: set {SecretVariable} or type it at the prompt."]);
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

    /// <summary>Where the saved callback is: its body file, and its headers as a file or as the three values.</summary>
    private sealed record SavedCallback(string BodyPath, string? HeadersPath, string? Id, string? Timestamp, string? Signature);

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
