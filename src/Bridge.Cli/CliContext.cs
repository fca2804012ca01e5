using System.Text;

namespace Bridge.Cli;

/// <summary>
/// What a command may touch outside itself: output, the environment, the working folder and the
/// password prompt. The process supplies the real ones; tests supply their own.
/// </summary>
public sealed record CliContext(
    TextWriter Out,
    TextWriter Error,
    string WorkingDirectory,
    Func<string, string?> Environment,
    Func<string, string?> ReadSecret)
{
    /// <summary>Standard input, for a body given as '-'; nothing unless the process supplies it.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    public static CliContext FromProcess() => new(
        Console.Out,
        Console.Error,
        Directory.GetCurrentDirectory(),
        System.Environment.GetEnvironmentVariable,
        ReadSecretFromConsole)
    {
        In = Console.In,
    };

    /// <summary>Prompts on the terminal without echo; reads one line when input is piped.</summary>
    private static string? ReadSecretFromConsole(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        Console.Error.Write(prompt);
        var secret = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return secret.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
    }
}
