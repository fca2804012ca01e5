using Bridge.Core.Deliverability;
using Bridge.Core.Secrets;
using Bridge.Testing;
using Microsoft.Extensions.Configuration;

namespace Bridge.Core.Tests.Deliverability;

public sealed class DkimOptionsValidatorTests
{
    private static readonly DkimKeys Rsa = DkimKeys.RsaPkcs8();

    private static IEnumerable<string> Failures(string? pem, Action<DkimDomain>? change = null, ISecretStore? store = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Bridge:Secrets:ShopKey"] = pem }).Build();
        var options = new DkimOptions();
        var entry = new DkimDomain { Domain = "shop.example", Selector = "bridge1", PrivateKeySecret = "ShopKey" };
        change?.Invoke(entry);
        options.Keys["shop"] = entry;
        var result = new DkimOptionsValidator(store ?? new ConfigurationSecretStore(configuration)).Validate(null, options);
        return result.Failed ? result.Failures : [];
    }

    [Fact]
    public void A_good_key_passes() => Assert.Empty(Failures(Rsa.Pem));

    [Theory]
    [InlineData("not a key at all", "no PEM block")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----", "not a readable PEM private key")]
    public void A_key_that_does_not_parse_fails_at_start_naming_the_setting(string pem, string reason)
    {
        var failure = Assert.Single(Failures(pem));

        Assert.StartsWith("Bridge:Dkim:shop:PrivateKeySecret:", failure);
        Assert.Contains(reason, failure);
        Assert.DoesNotContain("bm90IGEga2V5", failure);
    }

    [Fact]
    public void A_public_key_or_a_short_key_is_refused_with_the_reason()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        Assert.Contains("public key", Assert.Single(Failures(rsa.ExportSubjectPublicKeyInfoPem())));
        Assert.Contains("512 bits", Assert.Single(Failures(DkimKeys.RsaPkcs8(512).Pem)));
    }

    [Fact]
    public void A_missing_secret_is_named()
    {
        Assert.Contains("Secret 'ShopKey' was not found", Assert.Single(Failures(null)));
    }

    [Fact]
    public void Bad_domain_selector_and_secret_names_are_each_named()
    {
        var failures = Failures(Rsa.Pem, e => (e.Domain, e.Selector, e.PrivateKeySecret) = ("localhost", "", "shop-key")).ToList();

        Assert.Contains(failures, f => f.StartsWith("Bridge:Dkim:shop:Domain", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Bridge:Dkim:shop:Selector", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Bridge:Dkim:shop:PrivateKeySecret", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_in_key_vault_is_not_read_at_start()
    {
        Assert.Empty(Failures("not a key", store: new UnreadableStore()));
    }

    private sealed class UnreadableStore : ISecretStore
    {
        public Task<string> GetSecretAsync(string name, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the validator must not read a remote store at start");
    }
}
