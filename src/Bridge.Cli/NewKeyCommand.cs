using System.Buffers.Text;
using System.Security.Cryptography;
using Bridge.Core.Auth;

namespace Bridge.Cli;

/// <summary>
/// <c>bridge keys new --name shop [--scopes send,read]</c>: a random 256-bit key, printed once, and the
/// settings that store only its SHA-256 (the hash <see cref="ApiKeyAuthenticator"/> compares).
/// </summary>
public static class NewKeyCommand
{
    public const string DefaultScopes = ApiScope.Send;

    public static int Run(IReadOnlyList<string> args, CliContext context)
    {
        var options = CliArguments.Parse(args, ["--name", "--scopes"], []);
        var name = options.Value("--name");
        if (string.IsNullOrEmpty(name))
        {
            options.Errors.Add("--name is required: a short name for who uses the key, such as 'shop'.");
        }
        else if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            options.Errors.Add("--name may use letters, digits, '-' and '_' only (it becomes part of a setting's name).");
        }

        var scopes = Bridge.Core.ConfigList.Split(options.Value("--scopes") ?? DefaultScopes);
        if (scopes.Count == 0 || scopes.Any(s => !ApiScope.IsKnown(s)))
        {
            options.Errors.Add("--scopes must be a comma-separated list of send, read, admin.");
        }

        if (options.Errors.Count > 0)
        {
            return BridgeCli.UsageError(context, options.Errors);
        }

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
