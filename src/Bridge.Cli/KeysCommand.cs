using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using Bridge.Core;
using Bridge.Core.Auth;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge keys mint --name shop [--scopes send,read]</c>: a random 256-bit key, printed once, and the
/// settings that store only its SHA-256 (the hash <see cref="ApiKeyAuthenticator"/> compares).
/// </summary>
public static class KeysCommand
{
    public const string DefaultScopes = ApiScope.Send;

    private static readonly string[] KnownScopes = [ApiScope.Send, ApiScope.Read, ApiScope.Admin];

    public static Command Create(CliContext context)
    {
        var name = new Option<string>("--name")
        {
            Description = "Who uses the key, such as 'shop' (letters, digits, '-' and '_'; it becomes part of a setting's name).",
            Required = true,
        };
        name.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && (value.Length == 0 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                result.AddError("--name may use letters, digits, '-' and '_' only (it becomes part of a setting's name).");
            }
        });
        var scopes = new Option<string>("--scopes")
        {
            Description = "What the key may do: a comma-separated list of send, read, admin.",
            HelpName = "send,read,admin",
            DefaultValueFactory = _ => DefaultScopes,
        };
        scopes.CompletionSources.Add(KnownScopes);
        scopes.Validators.Add(result =>
        {
            var list = ConfigList.Split(result.GetValueOrDefault<string>());
            if (list.Count == 0 || list.Any(s => !ApiScope.IsKnown(s)))
            {
                result.AddError("--scopes must be a comma-separated list of send, read, admin.");
            }
        });
        var mint = new Command("mint", "Make a new API key and print the settings that store only its SHA-256.") { name, scopes };
        mint.SetAction(parsed => Mint(context, parsed.GetRequiredValue(name), ConfigList.Split(parsed.GetValue(scopes))));
        return new Command("keys", "API keys.") { mint };
    }

    private static int Mint(CliContext context, string name, IReadOnlyList<string> scopes)
    {
        var key = Generate();
        var hash = ApiKeyAuthenticator.HashKey(key);
        var scopeList = string.Join(',', scopes);
        var output = context.Out;
        output.WriteLine($"New API key '{name}' (scopes: {scopeList}). It is shown only now: give it to the client and keep it secret.");
        output.WriteLine();
        output.WriteLine($"  {key}");
        output.WriteLine();
        output.WriteLine("Bridge stores only its SHA-256. Add these settings (configuration key = value):");
        output.WriteLine();
        output.WriteLine($"  Bridge:ApiKeys:{name}:Sha256 = {hash}");
        output.WriteLine($"  Bridge:ApiKeys:{name}:Scopes = {scopeList}");
        output.WriteLine();
        output.WriteLine("or as environment variables / app settings:");
        output.WriteLine();
        output.WriteLine($"  Bridge__ApiKeys__{name}__Sha256={hash}");
        output.WriteLine($"  Bridge__ApiKeys__{name}__Scopes={scopeList}");
        return ExitCodes.Ok;
    }

    /// <summary>256 random bits, base64url without padding: 43 characters, safe in headers and shells.</summary>
    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
