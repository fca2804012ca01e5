using System.Buffers.Text;
using System.Reflection;
using System.Text.RegularExpressions;
using Bridge.Core.Auth;
using Bridge.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bridge.Cli.Tests;

public sealed partial class KeysMintCommandTests
{
    [GeneratedRegex(@"^  (?<key>[A-Za-z0-9_-]{43})$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"^  (?<setting>Bridge:ApiKeys:[^ ]+) = (?<value>.+)$", RegexOptions.Multiline)]
    private static partial Regex SettingLine();

    private static string KeyIn(string output) => KeyLine().Match(output).Groups["key"].Value;

    [Fact]
    public async Task Prints_a_256_bit_base64url_key_and_the_sha256_that_Bridge_compares()
    {
        var console = new TestConsole();

        var exit = await console.RunAsync("keys", "mint", "--name", "shop", "--scopes", "send,read");

        Assert.Equal(ExitCodes.Ok, exit);
        var output = console.Out.ToString();
        var key = KeyIn(output);
        Assert.Equal(32, Base64Url.DecodeFromChars(key).Length);
        var hash = ApiKeyAuthenticator.HashKey(key);
        Assert.Contains($"Bridge:ApiKeys:shop:Sha256 = {hash}", output, StringComparison.Ordinal);
        Assert.Contains("Bridge:ApiKeys:shop:Scopes = send,read", output, StringComparison.Ordinal);
        Assert.Contains($"Bridge__ApiKeys__shop__Sha256={hash}", output, StringComparison.Ordinal);
        Assert.Contains("Bridge__ApiKeys__shop__Scopes=send,read", output, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(output, Regex.Escape(key)));
    }

    [Fact]
    public async Task Printed_settings_let_the_printed_key_in_with_its_scopes()
    {
        var console = new TestConsole();
        await console.RunAsync("keys", "mint", "--name", "billing", "--scopes", "read");
        var output = console.Out.ToString();
        var settings = SettingLine().Matches(output).ToDictionary(m => m.Groups["setting"].Value, m => (string?)m.Groups["value"].Value);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new ServiceCollection().AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.SectionName)).Services
            .BuildServiceProvider().GetRequiredService<IOptions<ApiKeyOptions>>();
        var request = new DefaultHttpContext().Request;
        request.Headers.Authorization = "Bearer " + KeyIn(output);

        var caller = new ApiKeyAuthenticator(options).Authenticate(request);

        Assert.Equal("billing", caller?.KeyName);
        Assert.True(caller!.Has(ApiScope.Read));
        Assert.False(caller.Has(ApiScope.Send));
    }

    [Fact]
    public async Task Every_key_is_new_and_scopes_default_to_send()
    {
        var first = new TestConsole();
        var second = new TestConsole();

        await first.RunAsync("keys", "mint", "--name", "a");
        await second.RunAsync("keys", "mint", "--name", "a");

        Assert.NotEqual(KeyIn(first.Out.ToString()), KeyIn(second.Out.ToString()));
        Assert.Contains("Bridge:ApiKeys:a:Scopes = send" + Environment.NewLine, first.Out.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--name", "shop", "--scopes", "send,root")]
    [InlineData("--scopes", "send")]
    [InlineData("--name", "shop key")]
    [InlineData("--name", "shop", "--expires", "soon")]
    [InlineData("--name", "")]
    public async Task Wrong_arguments_exit_2_and_print_no_key(params string[] args)
    {
        var console = new TestConsole();

        var exit = await console.RunAsync(["keys", "mint", .. args]);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("", console.Out.ToString());
        Assert.Contains($"Usage:\n  {CommandLineTests.RootName} keys mint [options]", console.Error.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_old_keys_new_is_gone_and_says_so()
    {
        var console = new TestConsole();

        Assert.Equal(ExitCodes.Usage, await console.RunAsync("keys", "new", "--name", "shop"));
        Assert.Contains("'new'", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", console.Out.ToString());
    }

    [Fact]
    public async Task The_bridge_executable_mints_a_key_from_the_shell_and_tells_its_version()
    {
        var (exit, output) = await RunBridgeAsync("keys", "mint", "--name", "ci", "--scopes", "send,read");

        Assert.Equal(0, exit);
        Assert.Contains($"Bridge:ApiKeys:ci:Sha256 = {ApiKeyAuthenticator.HashKey(KeyIn(output))}", output, StringComparison.Ordinal);
        (exit, output) = await RunBridgeAsync("--version");
        Assert.Equal(0, exit);
        Assert.Equal(typeof(BridgeCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion, output.Trim());
    }

    private static async Task<(int Exit, string Output)> RunBridgeAsync(params string[] args)
    {
        var (exit, output, _) = await ProgramRun.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "bridge.dll"), .. args]);
        return (exit, output);
    }
}
