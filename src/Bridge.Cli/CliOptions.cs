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

    /// <summary>
    /// Hidden options on every command that only refuse: a secret on the command line ends up in shell history, and taking
    /// the flag as an option keeps its value out of the "unrecognized argument" error that would otherwise echo it.
    /// </summary>
    public static IEnumerable<Option> RefusedSecrets()
    {
        yield return Refused("--password", $"A password is never taken as a flag (it would end up in shell history): set {DoctorCommand.PasswordVariable} or type it at the prompt.");
        yield return Refused("--key", $"An API key is never taken as a flag (it would end up in shell history): set {BridgeApiClient.KeyVariable} or type it at the prompt.", "--api-key");
        yield return Refused("--secret", $"A callback secret is never taken as a flag (it would end up in shell history): set {CallbacksCommand.SecretVariable} or type it at the prompt.");
    }

    private static Option<string?> Refused(string name, string message, params string[] aliases)
    {
        var option = new Option<string?>(name, aliases) { Hidden = true, Recursive = true };
        option.Validators.Add(result => result.AddError(message));
        return option;
    }

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

    /// <summary>Whether the command line gave the option (a flag's or a default's implicit result does not count).</summary>
    public static bool Has(this SymbolResult result, Option option) => result.GetResult(option) is { Implicit: false };

    public static T? Error<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }
}
