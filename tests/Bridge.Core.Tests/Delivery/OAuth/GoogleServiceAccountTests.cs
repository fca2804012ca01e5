using System.Text.Json.Nodes;
using Bridge.Core.Delivery;
using Bridge.Core.Delivery.OAuth;

namespace Bridge.Core.Tests.Delivery.OAuth;

/// <summary>
/// Google Workspace profiles end to end on loopback: Bridge's pool and sender, Google.Apis.Auth's real
/// ServiceAccountCredential signing the JWT-bearer grant with a key made for the test, a fake Google
/// token endpoint that verifies it, and the real XOAUTH2 server that takes only the token the test says.
/// </summary>
public sealed class GoogleServiceAccountTests(OAuthPeers peers) : IClassFixture<OAuthPeers>, IAsyncLifetime
{
    private const string Good = "ya29.a0AfB_good-google-token.8c1f";
    private const string Stale = "ya29.a0AfB_stale-google-token.4e2d";

    private readonly OAuthRig rig = new(peers, acceptedToken: Good);

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => rig.DisposeAsync().AsTask();

    [Fact]
    public async Task Service_account_token_sends_as_the_mailbox_and_is_reused_by_the_next_connection()
    {
        rig.Google.Issue(Good);
        var profile = rig.GoogleProfile();

        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(rig.Sender(profile)));
        await using var other = rig.NewPool();
        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(new SmtpSender(other, TestOptions.Smtp(("default", profile)))));

        Assert.Empty(rig.Google.Refusals);
        Assert.Equal([OAuthRig.Mailbox], rig.Google.Requests); // one signed grant, acting as the mailbox
        Assert.Equal(2, rig.Smtp.AuthSuccesses);
        Assert.Equal(2, rig.Smtp.Delivered.Count);
        Assert.All(rig.Smtp.Delivered, mail => Assert.Equal(OAuthRig.Mailbox, mail.User));
    }

    [Fact]
    public async Task Rotated_token_is_refreshed_once_with_the_key_read_again_and_the_retry_sends()
    {
        rig.Google.Issue(Stale, Good);

        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(rig.Sender(rig.GoogleProfile())));

        Assert.Equal(2, rig.Google.Requests.Count);
        Assert.Equal(1, rig.Smtp.AuthFailures);
        Assert.Single(rig.Smtp.Delivered);
        Assert.Equal(2, rig.Secrets.Reads);
    }

    [Fact]
    public async Task Refused_token_is_refreshed_once_then_fails_as_credentials_with_the_google_hint()
    {
        rig.Google.Issue(Stale);

        var failure = Assert.IsType<DeliveryResult.Failed>(await OAuthRig.SendAsync(rig.Sender(rig.GoogleProfile()))).Failure;

        Assert.Equal(FailureKind.Credentials, failure.Kind);
        Assert.Equal(535, failure.Reply?.Code);
        Assert.Equal(2, rig.Tokens.Acquisitions);
        Assert.Equal(1, rig.Smtp.AuthFailures); // the same token is not sent twice
        Assert.Contains("Google Workspace", failure.Hint, StringComparison.Ordinal);
        Assert.Contains(OAuthProfile.GoogleMailScope, failure.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("SMTP.SendAsApp", failure.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delegation_not_granted_is_configuration_with_the_admin_console_steps()
    {
        rig.Google.DelegatedScopes.Clear();

        var failure = await TokenFailureAsync(rig.GoogleProfile());

        Assert.Contains("unauthorized_client", failure.Detail, StringComparison.Ordinal);
        Assert.Contains(FakeGoogleTokenEndpoint.ClientEmail, failure.Detail, StringComparison.Ordinal);
        foreach (var words in new[] { "domain-wide delegation", "client id", OAuthProfile.GoogleMailScope, "docs/providers.md" })
        {
            Assert.Contains(words, failure.Hint, StringComparison.Ordinal);
        }

        AssertNoPartOf(rig.Google.PrivateKeyPem, failure.Describe() + rig.AllLogs);
    }

    [Fact]
    public async Task User_outside_the_domain_is_configuration_naming_the_username()
    {
        var profile = rig.GoogleProfile();
        profile.Username = "team@contoso.example"; // a group address, say: not a user the account can act as

        var failure = await TokenFailureAsync(profile);

        Assert.Contains("invalid_grant", failure.Detail, StringComparison.Ordinal);
        Assert.Contains("'team@contoso.example'", failure.Hint, StringComparison.Ordinal);
        Assert.Contains("not a group", failure.Hint, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BrokenKeys => new()
    {
        { "cut", "it is not JSON" },
        { "user-credentials", "\"type\" is not \"service_account\"" },
        { "no-client-email", "no \"client_email\"" },
        { "mangled-private-key", "private_key is not a PEM RSA private key" },
        { "plain-http-token-uri", "\"token_uri\" is not an https:// address" },
    };

    [Theory]
    [MemberData(nameof(BrokenKeys))]
    public async Task Broken_key_file_is_configuration_naming_the_secret_and_never_quoting_it(string breakage, string problem)
    {
        var key = JsonNode.Parse(rig.Google.KeyJson())!.AsObject();
        var pem = rig.Google.PrivateKeyPem;
        var text = breakage switch
        {
            "cut" => key.ToJsonString()[..(key.ToJsonString().Length / 2)],
            "user-credentials" => Changed(key, "type", "authorized_user"),
            "no-client-email" => Changed(key, "client_email", null),
            "mangled-private-key" => Changed(key, "private_key", pem.Replace("-----BEGIN PRIVATE KEY-----\n", "", StringComparison.Ordinal)[..400]),
            _ => Changed(key, "token_uri", rig.Google.TokenUri.Replace("https:", "http:", StringComparison.Ordinal)),
        };
        rig.Secrets[OAuthRig.ServiceAccountKeyName] = text;

        var failure = await TokenFailureAsync(rig.GoogleProfile());

        Assert.Contains($"'{OAuthRig.ServiceAccountKeyName}'", failure.Detail, StringComparison.Ordinal);
        Assert.Contains(problem, failure.Detail, StringComparison.Ordinal);
        Assert.Contains("whole JSON key file", failure.Hint, StringComparison.Ordinal);
        AssertNoPartOf(pem, failure.Describe() + rig.AllLogs);
        Assert.Empty(rig.Google.Requests);
    }

    [Fact]
    public async Task Neither_the_private_key_nor_a_token_appears_in_logs_or_failures()
    {
        rig.Google.Issue(Stale, Good);
        Assert.IsType<DeliveryResult.Sent>(await OAuthRig.SendAsync(rig.Sender(rig.GoogleProfile())));
        rig.Smtp.AcceptToken("ya29.a0AfB_a-token-google-never-issued"); // the cached Good is refused now, and so is the fresh Stale
        rig.Google.Issue(Stale);
        await using var other = rig.NewPool();
        var refused = Assert.IsType<DeliveryResult.Failed>(
            await OAuthRig.SendAsync(new SmtpSender(other, TestOptions.Smtp(("default", rig.GoogleProfile()))))).Failure;

        var everything = string.Join("\n", rig.AllLogs, refused.Describe(), refused.Reply);
        Assert.NotEmpty(rig.TokenLogs.Entries);
        Assert.DoesNotContain(Good, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Stale, everything, StringComparison.Ordinal);
        AssertNoPartOf(rig.Google.PrivateKeyPem, everything);
    }

    private async Task<DeliveryFailure> TokenFailureAsync(SmtpProfile profile)
    {
        var failure = Assert.IsType<DeliveryResult.Failed>(await OAuthRig.SendAsync(rig.Sender(profile))).Failure;
        Assert.Equal(FailureKind.Configuration, failure.Kind);
        Assert.Equal(0, rig.Smtp.AuthFailures + rig.Smtp.AuthSuccesses); // no token, so no login tried
        return failure;
    }

    private static string Changed(JsonObject key, string field, string? value)
    {
        var copy = key.DeepClone().AsObject();
        if (value is null)
        {
            copy.Remove(field);
        }
        else
        {
            copy[field] = value;
        }

        return copy.ToJsonString();
    }

    /// <summary>No line of the key's base64 body, however short, shows up (nor the whole key with its JSON escapes).</summary>
    private static void AssertNoPartOf(string pem, string text)
    {
        foreach (var line in pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line, text, StringComparison.Ordinal);
        }
    }
}
