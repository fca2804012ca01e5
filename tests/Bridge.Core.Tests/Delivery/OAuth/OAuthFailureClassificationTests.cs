using Azure.Identity;
using Bridge.Core.Delivery;
using Bridge.Core.Delivery.OAuth;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>How modern-auth failures read: which kind, and a hint that names the fix (never a secret).</summary>
public sealed class OAuthFailureClassificationTests
{
    private const string Disabled =
        "535: 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.";

    private static readonly SmtpProfile Password = new()
    {
        Host = "smtp.office365.com", Port = 587, Username = "relay@contoso.example", PasswordSecret = "SmtpPassword",
    };

    private static readonly SmtpProfile App = new()
    {
        Host = "smtp.office365.com", Port = 587, Username = "relay@contoso.example",
        OAuth = new OAuthProfile { TenantId = "contoso.example", ClientId = "6731de76-14a6-49ae-97bc-6eba6914391e", ClientSecretName = "BridgeAppSecret" },
    };

    private static readonly SmtpProfile Identity = new()
    {
        Host = "smtp.office365.com", Port = 587, Username = "relay@contoso.example", OAuth = new OAuthProfile { UseManagedIdentity = true },
    };

    [Fact]
    public void Smtp_auth_disabled_is_credentials_with_the_microsoft_365_hint_for_a_password_profile_too()
    {
        var failure = SmtpFailureClassifier.Classify(new AuthenticationException(Disabled), Password, SmtpPhase.Authenticate)!;

        Assert.Equal(FailureKind.Credentials, failure.Kind);
        Assert.Equal(535, failure.Reply?.Code);
        Assert.Contains("Set-CASMailbox", failure.Hint, StringComparison.Ordinal);
        Assert.Contains("retired", failure.Hint, StringComparison.Ordinal);
        Assert.Contains("docs/providers.md", failure.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Smtp_auth_disabled_for_an_oauth_profile_names_the_app_permission_and_service_principal()
    {
        var failure = SmtpFailureClassifier.Classify(new AuthenticationException(Disabled), App, SmtpPhase.Authenticate)!;

        Assert.Equal(FailureKind.Credentials, failure.Kind);
        Assert.Contains("SMTP.SendAsApp", failure.Hint, StringComparison.Ordinal);
        Assert.Contains("service principal", failure.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_password_hint_links_the_provider_settings() =>
        Assert.Contains("docs/providers.md", SmtpFailureClassifier.Classify(
            new AuthenticationException("535: 5.7.8 Error: authentication failed"), Password, SmtpPhase.Authenticate)!.Hint, StringComparison.Ordinal);

    [Fact]
    public void Token_the_identity_platform_refused_is_configuration_naming_tenant_client_and_secret_name()
    {
        var failure = Configuration(
            new AuthenticationFailedException("ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided."), App);

        Assert.Contains("AADSTS7000215", failure.Detail, StringComparison.Ordinal);
        foreach (var name in new[] { "TenantId", "ClientId", "'BridgeAppSecret'", "consent", "docs/providers.md" })
        {
            Assert.Contains(name, failure.Hint, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Managed_identity_that_is_not_there_is_configuration_about_the_identity()
    {
        var failure = Configuration(
            new CredentialUnavailableException("ManagedIdentityCredential authentication unavailable. No response received from the managed identity endpoint."), Identity);

        Assert.Contains("system-assigned managed identity", failure.Hint, StringComparison.Ordinal);
        Assert.Contains("ManagedIdentityClientId", failure.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_without_an_oauth_mechanism_is_configuration() =>
        Assert.Contains("smtp.office365.com", Configuration(new OAuthNotOfferedException(["PLAIN", "LOGIN"]), App).Hint, StringComparison.Ordinal);

    [Theory]
    [InlineData(new[] { "PLAIN", "XOAUTH2", "OAUTHBEARER" }, "XOAUTH2")]
    [InlineData(new[] { "OAUTHBEARER", "LOGIN" }, "OAUTHBEARER")]
    [InlineData(new[] { "PLAIN", "LOGIN" }, null)]
    public void Token_is_presented_with_xoauth2_where_offered_else_oauthbearer(string[] offered, string? expected)
    {
        using var client = new SmtpClient();
        foreach (var mechanism in offered)
        {
            client.AuthenticationMechanisms.Add(mechanism);
        }

        Assert.Equal(expected, AuthMechanisms.ForToken(client));
    }

    private static DeliveryFailure Configuration(Exception error, SmtpProfile profile)
    {
        var failure = SmtpFailureClassifier.Classify(error, profile, SmtpPhase.Authenticate);
        Assert.Equal(FailureKind.Configuration, failure?.Kind);
        return failure!;
    }
}
