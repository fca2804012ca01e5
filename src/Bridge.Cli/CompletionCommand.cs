using System.CommandLine;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge completion bash|zsh|pwsh</c>: a shell snippet that asks <c>bridge</c> itself for completions through
/// System.CommandLine's <c>[suggest:&lt;cursor&gt;]</c> directive, so tab completion needs no other tool (dotnet-suggest
/// does the same, through a global registry of programs).
/// </summary>
public static class CompletionCommand
{
    public const string Bash = """
        # bridge tab completion (bash): eval "$(bridge completion bash)", e.g. in ~/.bashrc
        _bridge_complete() {
            local IFS=$'\n'
            COMPREPLY=($("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
        }
        complete -o default -F _bridge_complete bridge
        """;

    public const string Zsh = "# bridge tab completion (zsh): eval \"$(bridge completion zsh)\", e.g. in ~/.zshrc\n" +
                              "autoload -U +X bashcompinit && bashcompinit\n" + Bash;

    public const string PowerShell = """
        # bridge tab completion (PowerShell): bridge completion pwsh | Out-String | Invoke-Expression, e.g. in $PROFILE
        Register-ArgumentCompleter -Native -CommandName bridge -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            bridge "[suggest:$cursorPosition]" "$commandAst" | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }
        """;

    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("shell") { Description = "The shell to complete in." };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        var command = new Command("completion", "Print the script that turns on tab completion for bridge in a shell.") { shell };
        command.SetAction(parsed =>
        {
            context.Out.WriteLine(parsed.GetRequiredValue(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => PowerShell,
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
