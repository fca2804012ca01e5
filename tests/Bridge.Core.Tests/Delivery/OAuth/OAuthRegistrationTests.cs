using Bridge.Core.Delivery;
using Bridge.Core.Delivery.OAuth;
using Bridge.Core.Doctor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>The hosts' container builds the OAuth path from configuration keys alone, and validates them at start.</summary>
public sealed class OAuthRegistrationTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddBridgeCore(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task Container_builds_the_oauth_path_from_configuration_keys()
    {
        await using var services = Services(new()
        {
            ["Bridge:Smtp:Profiles:m365:Host"] = "smtp.office365.com",
            ["Bridge:Smtp:Profiles:m365:Username"] = "relay@contoso.example",
            ["Bridge:Smtp:Profiles:m365:OAuth:TenantId"] = "contoso.example",
            ["Bridge:Smtp:Profiles:m365:OAuth:ClientId"] = "6731de76-14a6-49ae-97bc-6eba6914391e",
            ["Bridge:Smtp:Profiles:m365:OAuth:ClientSecretName"] = "M365ClientSecret",
        });

        Assert.NotNull(services.GetRequiredService<IOptions<SmtpOptions>>().Value.Profiles["m365"].OAuth);
        Assert.NotNull(services.GetRequiredService<SmtpConnectionPool>());
        Assert.NotNull(services.GetRequiredService<SmtpDoctor>());
        Assert.Same(services.GetRequiredService<OAuthTokenSource>(), services.GetRequiredService<OAuthTokenSource>());
    }

    [Fact]
    public async Task Bad_oauth_settings_fail_at_start_naming_the_key()
    {
        await using var services = Services(new()
        {
            ["Bridge:Smtp:Profiles:m365:Host"] = "smtp.office365.com",
            ["Bridge:Smtp:Profiles:m365:Username"] = "relay@contoso.example",
            ["Bridge:Smtp:Profiles:m365:OAuth:ClientId"] = "6731de76-14a6-49ae-97bc-6eba6914391e",
            ["Bridge:Smtp:Profiles:m365:OAuth:ClientSecretName"] = "M365ClientSecret",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SmtpOptions>>().Value);
        Assert.Contains("Bridge:Smtp:Profiles:m365:OAuth:TenantId", error.Message, StringComparison.Ordinal);
    }
}
