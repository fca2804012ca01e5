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

    private static SmtpProfile Google(Action<OAuthProfile>? change = null, Action<SmtpProfile>? profileChange = null) =>
        Profile(o =>
        {
            (o.TenantId, o.ClientId, o.ClientSecretName, o.ServiceAccountKeyName) = (null, null, null, "GoogleServiceAccountKey");
            change?.Invoke(o);
        }, profileChange);

    [Fact]
    public void Google_service_account_needs_only_the_key_name_and_asks_for_gmails_scope()
    {
        var profile = Google();

        Assert.Equal("", Failures(profile));
        Assert.Equal(OAuthProfile.GoogleMailScope, profile.OAuth!.Scope);
        Assert.Equal(OAuthProfile.ExchangeScope, Profile().OAuth!.Scope);
        Assert.Equal("x", Google(o => o.Scope = "x").OAuth!.Scope);
    }

    [Fact]
    public void Google_service_account_takes_no_microsoft_settings_and_one_way_to_a_token()
    {
        var withMicrosoft = Failures(Google(o => (o.TenantId, o.ClientSecretName) = ("contoso.example", "BridgeAppSecret")));
        var withIdentity = Failures(Google(o => o.UseManagedIdentity = true));

        Assert.Contains($"{Key}:OAuth:TenantId is for Microsoft Entra ID and is not used with ServiceAccountKeyName", withMicrosoft, StringComparison.Ordinal);
        Assert.Contains($"{Key}:OAuth:ClientSecretName is for Microsoft Entra ID", withMicrosoft, StringComparison.Ordinal);
        Assert.Contains($"{Key}:OAuth: UseManagedIdentity=true and ServiceAccountKeyName are both set", withIdentity, StringComparison.Ordinal);
    }

    [Fact]
    public void Google_key_name_is_a_secret_name_and_username_the_user_to_act_as()
    {
        var failures = Failures(Google(o => o.ServiceAccountKeyName = "{\"type\": \"service_account\"}", p => p.Username = "relay"));

        Assert.Contains($"{Key}:OAuth:ServiceAccountKeyName must be a secret name of letters and digits only", failures, StringComparison.Ordinal);
        Assert.Contains($"{Key}:Username must be the email address of the Workspace user", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void No_way_to_a_token_names_all_three()
    {
        var failures = Failures(Profile(o => (o.TenantId, o.ClientId, o.ClientSecretName) = (null, null, null)));

        Assert.Contains($"{Key}:OAuth:TenantId is required", failures, StringComparison.Ordinal);
        Assert.Contains($"{Key}:OAuth:UseManagedIdentity=true", failures, StringComparison.Ordinal);
        Assert.Contains($"{Key}:OAuth:ServiceAccountKeyName for a Google service account", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Binds_from_configuration_keys()
    {
        var profile = Bound(new()
        {
            [$"{Key}:Host"] = "smtp.office365.com",
            [$"{Key}:Username"] = "relay@contoso.example",
            [$"{Key}:OAuth:UseManagedIdentity"] = "true",
            [$"{Key}:OAuth:ManagedIdentityClientId"] = "6731de76-14a6-49ae-97bc-6eba6914391e",
        });

        Assert.True(profile.OAuth!.UseManagedIdentity);
        Assert.Equal(OAuthProfile.ExchangeScope, profile.OAuth.Scope);
        Assert.Equal("", Failures(profile));
    }

    [Fact]
    public void Binds_a_google_service_account_from_configuration_keys()
    {
        var profile = Bound(new()
        {
            [$"{Key}:Host"] = "smtp.gmail.com",
            [$"{Key}:Username"] = "orders@shop.example",
            [$"{Key}:OAuth:ServiceAccountKeyName"] = "GmailServiceAccountKey",
        });

        Assert.True(profile.OAuth!.UsesGoogleServiceAccount);
        Assert.Equal(OAuthProfile.GoogleMailScope, profile.OAuth.Scope);
        Assert.Equal("", Failures(profile));
    }

    /// <summary>The profile <see cref="Key"/> as the hosts bind it from configuration.</summary>
    private static SmtpProfile Bound(Dictionary<string, string?> settings)
    {
        var options = new SmtpOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(SmtpOptions.SectionName).Bind(options);
        var profile = options.Profiles["m365"];
        Assert.NotNull(profile.OAuth);
        return profile;
    }
}
