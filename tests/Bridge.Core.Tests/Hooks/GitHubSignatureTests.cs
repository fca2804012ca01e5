using System.Security.Cryptography;
using Bridge.Core.Hooks;

namespace Bridge.Core.Tests.Hooks;

/// <summary>GitHub: <c>X-Hub-Signature-256: sha256=</c> + hex HMAC-SHA256 of the raw body, keyed with the webhook secret.</summary>
public sealed class GitHubSignatureTests
{
    private const string Secret = "It's a Secret to Everybody";
    private const string Body = """{"action":"opened","issue":{"number":7,"title":"Crash on start"}}""";
    private static readonly HookVerifier Verifier = HookPreset.Verifier(HookScheme.GitHub, new HookEntry());

    private static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Deliveries.Utf8(secret), Deliveries.Utf8(body)));

    private static string? Verify(string body, string secret, params (string, string)[] headers) =>
        Verifier.Verify(Deliveries.With(body, headers), secret, Deliveries.Now);

    [Fact]
    public void Example_from_GitHubs_documentation_is_accepted() =>
        Assert.Null(Verify("Hello, World!", Secret, ("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")));

    [Fact]
    public void Signature_computed_as_GitHub_documents_it_is_accepted() =>
        Assert.Null(Verify(Body, Secret, ("X-Hub-Signature-256", Sign(Secret, Body))));

    [Fact]
    public void Hex_case_does_not_matter() =>
        Assert.Null(Verify(Body, Secret, ("X-Hub-Signature-256", "sha256=" + Sign(Secret, Body)["sha256=".Length..].ToUpperInvariant())));

    [Fact]
    public void Signature_made_with_another_secret_is_refused() =>
        Assert.Contains("does not match", Verify(Body, Secret, ("X-Hub-Signature-256", Sign("another secret", Body))), StringComparison.Ordinal);

    [Fact]
    public void Tampered_body_is_refused() =>
        Assert.NotNull(Verify(Body.Replace("Crash", "Cash", StringComparison.Ordinal), Secret, ("X-Hub-Signature-256", Sign(Secret, Body))));

    [Fact]
    public void Missing_header_is_refused_naming_it() =>
        Assert.Contains("X-Hub-Signature-256", Verify(Body, Secret, ("X-Hub-Signature", "sha1=00")), StringComparison.Ordinal);

    [Fact]
    public void Signature_without_the_sha256_prefix_is_refused() =>
        Assert.NotNull(Verify(Body, Secret, ("X-Hub-Signature-256", Sign(Secret, Body)["sha256=".Length..])));

    [Fact]
    public void Delivery_id_is_the_X_GitHub_Delivery_header()
    {
        var id = Guid.NewGuid().ToString();
        var source = HookPreset.DeliveryId(HookScheme.GitHub, new HookEntry());

        Assert.Equal(id, source.Find(Deliveries.With(Body, ("X-GitHub-Delivery", id)), default));
    }
}
