namespace Bridge.Cli;

/// <summary>
/// The options after a command, parsed by hand: <c>--name value</c>, <c>--name=value</c> and bare
/// <c>--flag</c>s, each known in advance so a typo is an error rather than ignored.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);

    public List<string> Errors { get; } = [];

    public static CliArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions)
    {
        var parsed = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, inline) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
            if (flagOptions.Contains(name) && inline is null)
            {
                parsed.flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
                if (value is null)
                {
                    parsed.Errors.Add($"{name} needs a value.");
                }
                else
                {
                    parsed.values[name] = value;
                }
            }
            else
            {
                parsed.Errors.Add(arg.StartsWith("--", StringComparison.Ordinal) ? $"Unknown option {name}." : $"Unexpected argument '{arg}'.");
            }
        }

        return parsed;
    }

    public string? Value(string name) => values.GetValueOrDefault(name);

    public bool Has(string name) => flags.Contains(name) || values.ContainsKey(name);

    public int? Number(string name)
    {
        if (Value(name) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Errors.Add($"{name} must be a number (got '{text}').");
        return null;
    }
}
