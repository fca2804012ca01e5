using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Bridge.Cli;

/// <summary>
/// Options more than one command takes, each with a parser whose error names the option and shows a good value,
/// so a wrong value is a command-line error (exit 2) before anything is read, prompted for or sent.
/// </summary>
internal static class CliOptions
{
    /// <summary><c>--url</c>: the running Bridge; BRIDGE_URL when absent. Never the key (shell history keeps flags).</summary>
    public static Option<Uri?> Url() => new("--url")
    {
        Description = $"The running Bridge, e.g. https://bridge.example.net (default: {BridgeApiClient.UrlVariable}). " +
                      $"The API key comes from {BridgeApiClient.KeyVariable} or a prompt, never a flag.",
        HelpName = "https://host",
        CustomParser = result => BridgeApiClient.ParseAddress(result.Tokens[0].Value) is { } address ? address : Error<Uri>(result,
            $"--url must be an http or https address such as https://bridge.example.net (got '{result.Tokens[0].Value}')."),
    };

    public static Option<bool> Json(string description) => new("--json") { Description = description };

    /// <summary>A point in time; a date alone is midnight UTC.</summary>
    public static Option<DateTimeOffset?> Moment(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "time",
        CustomParser = result => DateTimeOffset.TryParse(result.Tokens[0].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : Error<DateTimeOffset?>(result, $"{name} must be a date and time, e.g. 2026-12-07T09:00:00Z (got '{result.Tokens[0].Value}')."),
    };

    /// <summary>A comma-separated list, also accepted as the option given more than once.</summary>
    public static string[] Split(IEnumerable<string>? values) =>
        values?.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray() ?? [];

    public static T? Error<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }
}
