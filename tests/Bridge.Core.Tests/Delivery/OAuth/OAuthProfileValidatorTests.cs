using Bridge.Core.Delivery;
using Bridge.Core.Delivery.OAuth;
using Microsoft.Extensions.Configuration;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>OAuth settings are checked at start, and each failure names the key to fix.</summary>
public sealed class OAuthProfileValidatorTests
{
    private const string Key = "Bridge:Smtp:Profiles:m365";

    private static SmtpProfile Profile(Action<OAuthProfile>? change = null, Action<SmtpProfile>? profileChange = null)
    {
        var oauth = new OAuthProfile
        {
            TenantId = "8f1c2d3e-0000-4a5b-9c8d-112233445566", ClientId = "6731de76-14a6-49ae-97bc-6eba6914391e", ClientSecretName = "BridgeAppSecret",
        };
        change?.Invoke(oauth);
        var profile = new SmtpProfile { Host = "smtp.office365.com", Port = 587, Username = "relay@contoso.example", OAuth = oauth };
        profileChange?.Invoke(profile);
        return profile;
    }

    private static string Failures(SmtpProfile profile) =>
        new SmtpOptionsValidator().Validate(null, TestOptions.Smtp(("m365", profile)).Value).FailureMessage ?? "";

    [Fact]
    public void App_registration_with_a_client_secret_name_passes() =>
        Assert.Equal("", Failures(Profile()));

    [Fact]
    public void Managed_identity_needs_no_tenant_client_or_secret() =>
        Assert.Equal("", Failures(Profile(o => (o.UseManagedIdentity, o.TenantId, o.ClientId, o.ClientSecretName) = (true, null, null, null))));

    [Fact]
    public void Missing_app_registration_settings_are_named()
    {
        var failures = Failures(Profile(o => (o.TenantId, o.ClientId, o.ClientSecretName) = (null, "not-a-guid", null)));

        Assert.Contains($"{Key}:OAuth:TenantId is required", failures, StringComparison.Ordinal);
        Assert.Contains($"{Key}:OAuth:ClientId must be", failures, StringComparison.Ordinal);
        Assert.Contains("exactly one of ClientSecretName or ClientCertificateName", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_secret_name_is_letters_and_digits()
    {
        var failures = Failures(Profile(o => o.ClientSecretName = "bridge-app secret"));

        Assert.Contains($"{Key}:OAuth:ClientSecretName must be a secret name of letters and digits only", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void OAuth_over_a_plain_connection_is_refused_unless_insecure_auth_is_allowed()
    {
        Assert.Contains("access token would travel in plain text",
            Failures(Profile(profileChange: p => (p.Security, p.Port) = (SmtpSecurity.None, 25))), StringComparison.Ordinal);
        Assert.Equal("", Failures(Profile(profileChange: p => (p.Security, p.Port, p.AllowInsecureAuth) = (SmtpSecurity.None, 25, true))));
    }

    [Fact]
    public void A_profile_logs_in_one_way_and_oauth_needs_the_mailbox()
    {
        var failures = Failures(Profile(profileChange: p => (p.PasswordSecret, p.Username) = ("SmtpPassword", null)));

        Assert.Contains($"{Key}:PasswordSecret and {Key}:OAuth are both set", failures, StringComparison.Ordinal);
        Assert.Contains($"{Key}:Username is required with OAuth", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Authority_host_must_be_https_and_identity_id_a_guid()
    {
        Assert.Contains($"{Key}:OAuth:AuthorityHost must be an https:// address",
            Failures(Profile(o => o.AuthorityHost = "http://login.example")), StringComparison.Ordinal);
        Assert.Contains($"{Key}:OAuth:ManagedIdentityClientId must be",
            Failures(Profile(o => (o.UseManagedIdentity, o.ClientSecretName, o.ManagedIdentityClientId) = (true, null, "my-identity"))), StringComparison.Ordinal);
    }

    [Fact]
    public void Binds_from_configuration_keys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{Key}:Host"] = "smtp.office365.com",
            [$"{Key}:Username"] = "relay@contoso.example",
            [$"{Key}:OAuth:UseManagedIdentity"] = "true",
            [$"{Key}:OAuth:ManagedIdentityClientId"] = "6731de76-14a6-49ae-97bc-6eba6914391e",
        }).Build();
        var options = new SmtpOptions();
        configuration.GetSection(SmtpOptions.SectionName).Bind(options);

        var oauth = Assert.IsType<OAuthProfile>(options.Profiles["m365"].OAuth);
        Assert.True(oauth.UseManagedIdentity);
        Assert.Equal(OAuthProfile.DefaultScope, oauth.Scope);
        Assert.Equal("", Failures(options.Profiles["m365"]));
    }
}
