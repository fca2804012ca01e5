using System.Text;
using Bridge.Core.Delivery;
using Bridge.Core.Doctor;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>The SMTP doctor on OAuth profiles: which mechanism logged in, the provider's fix when it fails, and no token or secret anywhere in what it shows.</summary>
public sealed class OAuthDoctorTests(OAuthPeers peers) : IClassFixture<OAuthPeers>, IAsyncLifetime
{
    private const string Good = "eyJ0eXAiOiJKV1QiLCJhbGciOi.doctor-good.41c9";
    private const string Stale = "eyJ0eXAiOiJKV1QiLCJhbGciOi.doctor-stale.0d3e";

    private OAuthRig rig = null!;

    public Task InitializeAsync()
    {
        rig = new OAuthRig(peers, acceptedToken: Good);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await rig.DisposeAsync();

    private Task<Diagnosis> DiagnoseAsync(bool send = false, SmtpProfile? profile = null) => rig.Doctor().DiagnoseAsync(
        new DiagnosisTarget("default", profile ?? rig.Profile()) { TestRecipient = "ann@example.org", Send = send }, CancellationToken.None);

    [Fact]
    public async Task Reports_the_xoauth2_login_and_sends_the_test_message()
    {
        rig.Entra.Issue(Good);

        var diagnosis = await DiagnoseAsync(send: true);

        Assert.True(diagnosis.Passed, diagnosis.FailedStep?.Summary);
        var auth = diagnosis.Steps.Single(s => s.Step == DiagnosisStep.Auth);
        Assert.Contains("with XOAUTH2", auth.Summary, StringComparison.Ordinal);
        Assert.Contains("Offered: XOAUTH2", auth.Details);
        Assert.Single(rig.Smtp.Delivered);
        Assert.Contains(diagnosis.Transcript, line => line.Contains("AUTH XOAUTH2", StringComparison.Ordinal));
        AssertNothingSecretIn(diagnosis, Good);
    }

    [Fact]
    public async Task Smtp_auth_disabled_fails_the_auth_step_with_the_microsoft_365_fix()
    {
        rig.Entra.Issue(Good);
        rig.Smtp.DisableSmtpAuth();

        var diagnosis = await DiagnoseAsync();

        var failed = Assert.IsType<StepReport>(diagnosis.FailedStep);
        Assert.Equal(DiagnosisStep.Auth, failed.Step);
        Assert.Contains("5.7.139", failed.Summary, StringComparison.Ordinal);
        Assert.Contains("SMTP.SendAsApp", failed.Fix, StringComparison.Ordinal);
        Assert.Contains("docs/providers.md", failed.Fix, StringComparison.Ordinal);
        Assert.Contains("Tried: XOAUTH2", failed.Details);
        AssertNothingSecretIn(diagnosis, Good);
    }

    [Fact]
    public async Task Refused_token_is_reported_without_showing_it()
    {
        rig.Entra.Issue(Stale);

        var diagnosis = await DiagnoseAsync();

        var failed = Assert.IsType<StepReport>(diagnosis.FailedStep);
        Assert.Equal(DiagnosisStep.Auth, failed.Step);
        Assert.Contains("refused the OAuth access token", failed.Summary, StringComparison.Ordinal);
        Assert.Contains("535", failed.Summary, StringComparison.Ordinal);
        AssertNothingSecretIn(diagnosis, Stale);
    }

    [Fact]
    public async Task Token_that_cannot_be_had_names_the_settings_to_check_not_the_secret()
    {
        rig.Secrets[OAuthRig.SecretName] = "a-client-secret-Entra-does-not-know";

        var diagnosis = await DiagnoseAsync();

        var failed = Assert.IsType<StepReport>(diagnosis.FailedStep);
        Assert.Equal(DiagnosisStep.Auth, failed.Step);
        Assert.Contains("Could not get an OAuth access token", failed.Summary, StringComparison.Ordinal);
        Assert.Contains(OAuthRig.SecretName, failed.Fix, StringComparison.Ordinal);
        Assert.Contains("TenantId", failed.Fix, StringComparison.Ordinal);
        Assert.Equal(0, rig.Smtp.AuthFailures + rig.Smtp.AuthSuccesses);
        AssertNothingSecretIn(diagnosis, "a-client-secret-Entra-does-not-know");
    }

    [Fact]
    public async Task Google_service_account_logs_in_with_xoauth2_and_a_missing_delegation_gets_the_admin_console_fix()
    {
        rig.Google.Issue(Good);
        var passed = await DiagnoseAsync(profile: rig.GoogleProfile());
        rig.Google.DelegatedScopes.Clear();
        var failed = Assert.IsType<StepReport>((await DiagnoseAsync(profile: rig.GoogleProfile())).FailedStep);

        Assert.True(passed.Passed, passed.FailedStep?.Summary);
        Assert.Contains("the Google service account whose key is the secret", passed.Steps.Single(s => s.Step == DiagnosisStep.Auth).Summary, StringComparison.Ordinal);
        Assert.Equal(DiagnosisStep.Auth, failed.Step);
        Assert.Contains("unauthorized_client", failed.Summary, StringComparison.Ordinal);
        Assert.Contains("domain-wide delegation", failed.Fix, StringComparison.Ordinal);
        AssertNothingSecretIn(passed, Good);
        Assert.DoesNotContain(rig.Google.PrivateKeyPem.Split('\n')[1], rig.AllLogs + failed.Summary + failed.Fix, StringComparison.Ordinal);
    }

    /// <summary>The token as is, and as XOAUTH2 carries it (base64 of "user=…^Aauth=Bearer …^A^A"), nor the client secret.</summary>
    private void AssertNothingSecretIn(Diagnosis diagnosis, string token)
    {
        var shown = string.Join("\n", diagnosis.Transcript.Concat(diagnosis.Steps.SelectMany(s => s.Details.Append(s.Summary).Append(s.Fix ?? ""))))
                    + "\n" + rig.AllLogs;
        var xoauth2 = Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={OAuthRig.Mailbox}\u0001auth=Bearer {token}\u0001\u0001"));
        foreach (var secret in new[] { token, xoauth2, OAuthRig.ClientSecret })
        {
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        }
    }
}
