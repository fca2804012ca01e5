namespace Bridge.Cli.Tests;

/// <summary>A <see cref="CliContext"/> that records what a command printed and asked for.</summary>
internal sealed class TestConsole
{
    public StringWriter Out { get; } = new();
    public StringWriter Error { get; } = new();
    public Dictionary<string, string> Environment { get; } = [];
    public string? TypedPassword { get; set; }
    public List<string> Prompts { get; } = [];
    public string WorkingDirectory { get; set; } = Directory.CreateTempSubdirectory("bridge-cli-").FullName;

    public CliContext Context => new(Out, Error, WorkingDirectory, name => Environment.GetValueOrDefault(name), prompt =>
    {
        Prompts.Add(prompt);
        return TypedPassword;
    });

    public Task<int> RunAsync(params string[] args) => BridgeCli.RunAsync(args, Context, CancellationToken.None);
}
