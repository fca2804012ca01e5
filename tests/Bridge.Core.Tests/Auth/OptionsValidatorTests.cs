using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Bridge.Core.Messages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests.Auth;

public sealed class OptionsValidatorTests
{
    [Fact]
    public void A_valid_profile_passes() =>
        Assert.True(new SmtpOptionsValidator().Validate(null, TestOptions.Smtp(("default", new SmtpProfile
        {
            Host = "smtp.example.org", Port = 587, Username = "u", PasswordSecret = "SmtpPassword",
        })).Value).Succeeded);

    [Fact]
    public void Bad_profile_fails_naming_each_bad_key()
    {
        var result = new SmtpOptionsValidator().Validate(null, TestOptions.Smtp(("default", new SmtpProfile
        {
            Host = "", Port = 0, Username = "u", PasswordSecret = "not-valid!", Security = SmtpSecurity.None, AllowedFrom = "nonsense",
        })).Value);

        Assert.True(result.Failed);
        Assert.Contains("Bridge:Smtp:Profiles:default:Host", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Bridge:Smtp:Profiles:default:Port", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Bridge:Smtp:Profiles:default:PasswordSecret", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("AllowInsecureAuth", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'nonsense'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bounce_mailbox_is_held_to_the_same_rules_as_the_profile_naming_each_bad_key()
    {
        var bad = new SmtpOptionsValidator().Validate(null, TestOptions.Smtp(("default", new SmtpProfile
        {
            Host = "smtp.example.org",
            BounceMailbox = new BounceMailbox { Host = "", Port = 70000, Username = "bounces", PasswordSecret = "not valid", Security = SmtpSecurity.None, Folder = " " },
        })).Value);

        Assert.True(bad.Failed);
        Assert.Contains("Bridge:Smtp:Profiles:default:BounceMailbox:Host", bad.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Bridge:Smtp:Profiles:default:BounceMailbox:Port", bad.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Bridge:Smtp:Profiles:default:BounceMailbox:PasswordSecret", bad.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Bridge:Smtp:Profiles:default:BounceMailbox:AllowInsecureAuth", bad.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Bridge:Smtp:Profiles:default:BounceMailbox:Folder", bad.FailureMessage, StringComparison.Ordinal);

        Assert.True(new SmtpOptionsValidator().Validate(null, TestOptions.Smtp(("default", new SmtpProfile
        {
            Host = "smtp.example.org",
            BounceMailbox = new BounceMailbox { Host = "imap.example.org", Username = "bounces", PasswordSecret = "BouncePassword" },
        })).Value).Succeeded);
    }

    [Fact]
    public void No_profile_at_all_fails() =>
        Assert.Contains("has no profile", new SmtpOptionsValidator().Validate(null, new SmtpOptions()).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void Api_key_entries_are_checked_against_scopes_and_profiles()
    {
        var result = new ApiKeyOptionsValidator(TestOptions.Smtp()).Validate(null, new ApiKeyOptions
        {
            ["app"] = new() { Sha256 = "abc", Scopes = "send,superuser", Profiles = "default,missing" },
        });

        Assert.Contains("Bridge:ApiKeys:app:Sha256", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'superuser'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'missing'", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("'default'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(MessageLimitsValidator.MostRecipients, true)]
    [InlineData(MessageLimitsValidator.MostRecipients + 1, false)]
    [InlineData(0, false)]
    public void Max_recipients_must_fit_one_outcome_transaction(int maxRecipients, bool valid) =>
        AssertLimits(new MessageLimits { MaxRecipients = maxRecipients }, valid, "Bridge:Limits:MaxRecipients");

    [Fact]
    public void Max_request_bytes_must_fit_one_array() =>
        Assert.Contains("Bridge:Limits:MaxRequestBytes",
            new MessageLimitsValidator().Validate(null, new MessageLimits { MaxRequestBytes = 3L * 1024 * 1024 * 1024 }).FailureMessage, StringComparison.Ordinal);

    [Theory]
    [InlineData(10_000, true)]
    [InlineData(MessageLimitsValidator.MostMetadataLength, true)]
    [InlineData(MessageLimitsValidator.MostMetadataLength + 1, false)]
    [InlineData(1, false)]
    public void Max_metadata_length_must_fit_one_table_property(int maxMetadataLength, bool valid) =>
        AssertLimits(new MessageLimits { MaxMetadataLength = maxMetadataLength }, valid, "Bridge:Limits:MaxMetadataLength");

    /// <summary>The limits pass, or fail naming <paramref name="key"/>.</summary>
    private static void AssertLimits(MessageLimits limits, bool valid, string key)
    {
        var result = new MessageLimitsValidator().Validate(null, limits);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Default_delivery_settings_pass() =>
        Assert.True(new DeliveryOptionsValidator().Validate(null, new DeliveryOptions()).Succeeded);

    [Fact]
    public void Delivery_settings_that_cannot_work_fail_naming_each_key()
    {
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions
        {
            InitialRetryDelay = TimeSpan.FromMinutes(5), MaxRetryDelay = TimeSpan.FromMinutes(1), RecordWait = TimeSpan.Zero,
            SendingLease = TimeSpan.FromSeconds(-1), RetryJitter = 1.5, MaxConnectionsPerProfile = 0,
        });

        Assert.True(result.Failed);
        Assert.Equal(5, result.Failures!.Count());
        foreach (var key in new[] { "MaxRetryDelay", "RecordWait", "SendingLease", "RetryJitter", "MaxConnectionsPerProfile" })
        {
            Assert.Contains("Bridge:Delivery:" + key, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Delivery_settings_are_validated_where_the_hosts_read_them()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Bridge:Delivery:RecordWait"] = "00:00:00" }).Build();
        await using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddBridgeCore(configuration)
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DeliveryOptions>>().Value);
        Assert.Contains("Bridge:Delivery:RecordWait", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Each setting, wrong, stops the host at start (the container's start-up validation) with its key in the message.</summary>
    [Theory]
    [InlineData("Bridge:Queue:Name", "Outbound_Mail", "Bridge:Queue:Name")]
    [InlineData("Bridge:Queue:Name", "a-queue-name-so-long-that-its-poison-queue-name-is-too-long-x", "Bridge:Queue:Name")]
    [InlineData("Bridge:Queue:ListenerLease", "00:00:05", "Bridge:Queue:ListenerLease")]
    [InlineData("Bridge:Queue:ListenerLease", "00:20:00", "Bridge:Queue:ListenerLease")]
    [InlineData("Bridge:Payloads:Retention", "12:00:00", "Bridge:Payloads:Retention")]
    [InlineData("Bridge:Secrets:Cache:TimeToLive", "00:00:00", "Bridge:Secrets:Cache:TimeToLive")]
    [InlineData("Bridge:KeyVault:Uri", "http://bridge.vault.azure.net/", "Bridge:KeyVault:Uri")]
    [InlineData("Bridge:KeyVault:Uri", "bridge-vault", "Bridge:KeyVault:Uri")]
    [InlineData("Bridge:Delivery:MaxRetryDelay", "8.00:00:00", "Bridge:Delivery:MaxRetryDelay")]
    [InlineData("Bridge:Smtp:Profiles:default:Port", "70000", "Bridge:Smtp:Profiles:default:Port")]
    [InlineData("Bridge:Smtp:Profiles:default:TimeoutSeconds", "0", "Bridge:Smtp:Profiles:default:TimeoutSeconds")]
    [InlineData("Bridge:Smtp:Profiles:default:Fallback", "nowhere", "Bridge:Smtp:Profiles:default:Fallback names 'nowhere'")]
    [InlineData("Bridge:Smtp:Profiles:default:Fallback", "DEFAULT", "Bridge:Smtp:Profiles:default:Fallback names the profile itself")]
    [InlineData("Bridge:Delivery:CircuitBreakAfter", "0", "Bridge:Delivery:CircuitBreakAfter")]
    [InlineData("Bridge:Delivery:CircuitCoolDown", "00:00:00", "Bridge:Delivery:CircuitCoolDown")]
    [InlineData("AZURE_CLIENT_ID", "not-a-guid", "AZURE_CLIENT_ID")]
    [InlineData("Bridge:Callbacks:RetryDelays", "00:00:05,soon", "Bridge:Callbacks:RetryDelays entry 'soon'")]
    [InlineData("Bridge:Callbacks:RetryDelays", "8.00:00:00", "Bridge:Callbacks:RetryDelays entry '8.00:00:00'")]
    [InlineData("Bridge:Callbacks:Timeout", "00:00:00", "Bridge:Callbacks:Timeout")]
    [InlineData("Bridge:Callbacks:RetryJitter", "1", "Bridge:Callbacks:RetryJitter")]
    [InlineData("Bridge:ApiKeys:shop:CallbackUrl", "ftp://hooks.shop.example/bridge", "Bridge:ApiKeys:shop:CallbackUrl must be an absolute http or https URL")]
    [InlineData("Bridge:ApiKeys:shop:CallbackUrl", "https://user:pass@hooks.shop.example/", "Bridge:ApiKeys:shop:CallbackUrl must be an absolute http or https URL")]
    [InlineData("Bridge:ApiKeys:shop:CallbackUrl", "https://hooks.shop.example/bridge", "Bridge:ApiKeys:shop:CallbackSecret must name the secret")]
    [InlineData("Bridge:ApiKeys:shop:CallbackSecret", "ShopCallbacks", "Bridge:ApiKeys:shop:CallbackSecret is set but")]
    [InlineData("AzureWebJobsStorage:clientId", "6731de76-14a6-49ae-97bc-6eba6914391f", "AzureWebJobsStorage:clientId")]
    public void Bad_setting_stops_the_start_naming_its_key(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bridge:Smtp:Profiles:default:Host"] = "smtp.example.org",
            ["AZURE_CLIENT_ID"] = "6731de76-14a6-49ae-97bc-6eba6914391e",
            [key] = value,
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddBridgeCore(configuration)
            .BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_pass_the_start_validation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bridge:Smtp:Profiles:default:Host"] = "smtp.example.org",
            ["AZURE_CLIENT_ID"] = "6731de76-14a6-49ae-97bc-6eba6914391e",
            ["AzureWebJobsStorage:clientId"] = "6731DE76-14A6-49AE-97BC-6EBA6914391E",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddBridgeCore(configuration)
            .BuildServiceProvider();

        services.GetRequiredService<IStartupValidator>().Validate();
    }
}
