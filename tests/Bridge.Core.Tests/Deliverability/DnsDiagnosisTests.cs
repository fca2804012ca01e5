using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bridge.Core.Auth;
using Bridge.Core.Deliverability;
using Bridge.Core.Doctor;
using Bridge.Core.Http;
using Bridge.Core.Tests.Doctor;
using Bridge.Core.Secrets;
using Bridge.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests.Deliverability;

/// <summary>
/// The doctor's DNS checks against a real DNS server (dnsmasq on loopback) that holds one domain per case:
/// each finding both ways, with the record to publish; bad records and a silent resolver end as findings.
/// </summary>
public sealed class DnsDiagnosisTests : IAsyncLifetime
{
    private const string AdminKey = "admin-key-0001";
    private const string Upstream = "127.0.0.1";

    private static readonly DkimKeys Good = DkimKeys.RsaPkcs8();
    private static readonly DkimKeys Configured = DkimKeys.RsaPkcs8();
    private static readonly DkimKeys Other = DkimKeys.RsaPkcs8();

    private static readonly string LongSpf = "v=spf1 " + string.Join(' ', Enumerable.Range(0, 250).Select(i => $"ip4:10.{i / 250}.{i % 250}.0/24")) + " ip4:127.0.0.1 -all";

    private LoopbackDns dns = null!;

    public async Task InitializeAsync()
    {
        var records = new DnsZoneRecords().Zone("test")
            .Txt("good.test", "v=spf1 include:_spf.provider.test -all")
            .Txt("_spf.provider.test", "v=spf1 a:relay.provider.test mx:provider.test ~all")
            .A("relay.provider.test", "127.0.0.1")
            .Txt("sel._domainkey.good.test", Good.Record)
            .Txt("_dmarc.good.test", "v=DMARC1; p=reject; adkim=s; rua=mailto:dmarc@good.test")
            .Mx("good.test", "mail.good.test", 10).A("mail.good.test", "127.0.0.9")
            .Txt("wrong.test", "v=spf1 ip4:192.0.2.0/24 mx -all")
            .Txt("sel._domainkey.wrong.test", Other.Record)
            .Txt("_dmarc.wrong.test", "v=DMARC1; p=quarantine; foo=bar; pct=100; junk")
            .Txt("two.test", "v=spf1 ip4:127.0.0.1 -all").Txt("two.test", "v=spf1 ip4:127.0.0.2 -all")
            .Txt("_dmarc.two.test", "v=DMARC1; p=none")
            .Txt("loop.test", "v=spf1 include:loop2.test -all").Txt("loop2.test", "v=spf1 include:loop.test -all")
            .Txt("many.test", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 11).Select(i => $"a:h{i}.many.test")) + " -all")
            .Txt("syntax.test", "v=spf1 ip4:300.1.1.1 foo:bar -all")
            .Txt("long.test", LongSpf)
            .Txt("soft.test", "v=spf1 ~all")
            .Txt("_dmarc.bad.test", "v=DMARC1; p=maybe")
            .Txt("bad.test", "v=spf1 redirect=good.test");

        // RFC 5782: every list lists 127.0.0.2 and none lists 127.0.0.1.
        records.Zone("bl.test").A("2.0.0.127.bl.test", "127.0.0.2").Txt("2.0.0.127.bl.test", "Listed for testing: see https://bl.test/127.0.0.2");
        dns = await LoopbackDns.StartAsync(records);
    }

    public async Task DisposeAsync() => await dns.DisposeAsync();

    private DnsDiagnosis Diagnosis(string? servers = null, int timeoutSeconds = 3)
    {
        var dkim = new DkimOptions();
        dkim.Keys["good"] = new DkimDomain { Domain = "good.test", Selector = "sel", PrivateKeySecret = "GoodKey" };
        dkim.Keys["wrong"] = new DkimDomain { Domain = "wrong.test", Selector = "sel", PrivateKeySecret = "WrongKey" };
        dkim.Keys["unpublished"] = new DkimDomain { Domain = "two.test", Selector = "sel", PrivateKeySecret = "TwoKey" };
        var secrets = new SecretCache(new DictionarySecretStore(new() { ["GoodKey"] = Good.Pem, ["WrongKey"] = Configured.Pem, ["TwoKey"] = Configured.Pem }),
            TimeProvider.System, Options.Create(new SecretCacheOptions()));
        var options = Options.Create(new DnsOptions { Servers = servers ?? dns.Server, Blocklists = "bl.test", TimeoutSeconds = timeoutSeconds });
        return new DnsDiagnosis(new DeliverabilityDns(options), new DkimSigning(Options.Create(dkim), secrets), Options.Create(dkim), options);
    }

    private async Task<DeliverabilityFinding> Finding(string domain, string check, string upstream = Upstream)
    {
        var findings = await Diagnosis().DiagnoseAsync(domain, upstream, CancellationToken.None);
        Assert.Equal([SpfCheck.Name, DkimRecordCheck.Name, DmarcCheck.Name, MxCheck.Name, BlocklistCheck.Name], findings.Select(f => f.Check));
        return findings.Single(f => f.Check == check);
    }

    [Fact]
    public async Task A_well_set_up_domain_passes_every_check()
    {
        var findings = await Diagnosis().DiagnoseAsync("good.test", Upstream, CancellationToken.None);

        Assert.All(findings, f => Assert.True(f.Verdict == FindingVerdict.Passed, $"{f.Check}: {f.Summary} {dns.Log}"));
        Assert.Contains("127.0.0.1: pass", findings[0].Details);
        Assert.Contains("DNS lookups: 3 of at most 10", findings[0].Details);
    }

    [Fact]
    public async Task Spf_that_does_not_authorize_the_upstream_fails_with_the_record_that_would()
    {
        var spf = await Finding("wrong.test", SpfCheck.Name);

        Assert.Equal(FindingVerdict.Failed, spf.Verdict);
        Assert.Contains("does not authorize", spf.Summary);
        Assert.Equal(new DnsRecordFix("wrong.test", "TXT", "v=spf1 ip4:192.0.2.0/24 mx ip4:127.0.0.1 -all"), spf.Record);
        Assert.Equal(FindingVerdict.Warning, (await Finding("soft.test", SpfCheck.Name)).Verdict);
    }

    [Fact]
    public async Task Spf_problems_are_each_a_failure_naming_the_problem()
    {
        Assert.Contains("2 SPF records", (await Finding("two.test", SpfCheck.Name)).Summary);
        Assert.Contains("SPF loop: loop.test → loop2.test → loop.test", (await Finding("loop.test", SpfCheck.Name)).Summary);
        Assert.Contains("more than 10 DNS lookups", (await Finding("many.test", SpfCheck.Name)).Summary);
        Assert.Contains("'ip4:300.1.1.1' is not an SPF mechanism", (await Finding("syntax.test", SpfCheck.Name)).Summary);
        var missing = await Finding("nodns.test", SpfCheck.Name);
        Assert.Equal(FindingVerdict.Failed, missing.Verdict);
        Assert.Equal(new DnsRecordFix("nodns.test", "TXT", "v=spf1 ip4:127.0.0.1 ~all"), missing.Record);
    }

    [Fact]
    public async Task A_4_kb_spf_record_is_read_whole_and_warned_about()
    {
        var spf = await Finding("long.test", SpfCheck.Name);

        Assert.True(LongSpf.Length > 4000);
        Assert.Equal(FindingVerdict.Warning, spf.Verdict);
        Assert.Contains($"{LongSpf.Length} bytes", spf.Summary);
        Assert.Contains("127.0.0.1: pass", spf.Details);
    }

    [Fact]
    public async Task Redirect_is_followed()
    {
        var spf = await Finding("bad.test", SpfCheck.Name);

        Assert.Equal(FindingVerdict.Passed, spf.Verdict);
    }

    [Fact]
    public async Task Dkim_record_of_another_key_or_none_fails_with_the_record_of_the_configured_key()
    {
        var wrong = await Finding("wrong.test", DkimRecordCheck.Name);
        var unpublished = await Finding("two.test", DkimRecordCheck.Name);
        var expected = new DnsRecordFix("sel._domainkey.wrong.test", "TXT", Configured.Record);

        Assert.Equal(FindingVerdict.Failed, wrong.Verdict);
        Assert.Contains("different key", wrong.Summary);
        Assert.Equal(expected, wrong.Record);
        Assert.Equal(FindingVerdict.Failed, unpublished.Verdict);
        Assert.Equal(expected with { Name = "sel._domainkey.two.test" }, unpublished.Record);
        Assert.Equal(FindingVerdict.Warning, (await Finding("soft.test", DkimRecordCheck.Name)).Verdict);
    }

    [Fact]
    public async Task Dmarc_missing_none_junk_and_invalid_are_named()
    {
        var missing = await Finding("soft.test", DmarcCheck.Name);
        var junk = await Finding("wrong.test", DmarcCheck.Name);
        var none = await Finding("two.test", DmarcCheck.Name);
        var invalid = await Finding("bad.test", DmarcCheck.Name);

        Assert.Equal(FindingVerdict.Failed, missing.Verdict);
        Assert.Equal(new DnsRecordFix("_dmarc.soft.test", "TXT", "v=DMARC1; p=none; rua=mailto:dmarc-reports@soft.test"), missing.Record);
        Assert.Equal(FindingVerdict.Warning, junk.Verdict);
        Assert.Contains("'foo', 'junk'", junk.Summary);
        Assert.Equal(new DnsRecordFix("_dmarc.wrong.test", "TXT", "v=DMARC1; p=quarantine; pct=100"), junk.Record);
        Assert.Equal(FindingVerdict.Warning, none.Verdict);
        Assert.Contains("p=none only monitors", none.Summary);
        Assert.Equal(FindingVerdict.Failed, invalid.Verdict);
        Assert.Contains("invalid policy p=maybe", invalid.Summary);
    }

    [Fact]
    public async Task Mx_missing_or_a_domain_that_does_not_exist()
    {
        var noMx = await Finding("wrong.test", MxCheck.Name);
        var noDomain = await Finding("nodns.test", MxCheck.Name);

        Assert.Equal(FindingVerdict.Warning, noMx.Verdict);
        Assert.Equal(new DnsRecordFix("wrong.test", "MX", "10 mail.wrong.test"), noMx.Record);
        Assert.Equal(FindingVerdict.Failed, noDomain.Verdict);
        Assert.Contains("does not exist", noDomain.Summary);
    }

    [Fact]
    public async Task A_domain_with_no_dns_at_all_fails_each_check_without_throwing()
    {
        var findings = await Diagnosis().DiagnoseAsync("nodns.test", Upstream, CancellationToken.None);

        Assert.Equal([FindingVerdict.Failed, FindingVerdict.Warning, FindingVerdict.Failed, FindingVerdict.Failed, FindingVerdict.Passed],
            findings.Select(f => f.Verdict));
    }

    [Fact]
    public async Task A_blocklisted_upstream_address_fails_with_the_lists_reason()
    {
        var listed = await Finding("good.test", BlocklistCheck.Name, upstream: "127.0.0.2");

        Assert.Equal(FindingVerdict.Failed, listed.Verdict);
        Assert.Contains("127.0.0.2 on bl.test", listed.Summary);
        Assert.Contains(listed.Details, d => d.Contains("Listed for testing", StringComparison.Ordinal));
        Assert.Equal("2.0.0.127", BlocklistCheck.Reversed(IPAddress.Parse("127.0.0.2")));
        Assert.StartsWith("1.0.0.0.0.0.0.0", BlocklistCheck.Reversed(IPAddress.IPv6Loopback));
    }

    [Fact]
    public async Task A_silent_resolver_is_a_finding_per_check_within_the_timeout()
    {
        // Takes UDP queries and never answers.
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var started = DateTime.UtcNow;

        var findings = await Diagnosis($"127.0.0.1:{((IPEndPoint)silent.Client.LocalEndPoint!).Port}", timeoutSeconds: 1)
            .DiagnoseAsync("good.test", "relay.provider.test", CancellationToken.None);

        Assert.Equal(FindingVerdict.Failed, findings[0].Verdict);
        Assert.Contains("no answer within 1 s", findings[0].Summary);
        Assert.All(findings, f => Assert.NotEqual(FindingVerdict.Passed, f.Verdict));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "each lookup is bounded");
    }

    [Fact]
    public async Task The_endpoint_runs_the_dns_checks_alone_and_refuses_unknown_checks()
    {
        var (status, body) = await Post("""{"host": "127.0.0.1", "port": 25, "from": "orders@good.test", "checks": ["dns"]}""");
        Assert.Equal(200, status);
        Assert.True(body.GetProperty("passed").GetBoolean(), body.ToString());
        Assert.Equal(0, body.GetProperty("steps").GetArrayLength());
        Assert.Equal(["spf", "dkim", "dmarc", "mx", "blocklist"], body.GetProperty("deliverability").EnumerateArray().Select(f => f.GetProperty("check").GetString()));

        var (failedStatus, failed) = await Post("""{"host": "127.0.0.1", "from": "orders@wrong.test", "checks": ["dns"]}""");
        Assert.Equal(200, failedStatus);
        Assert.False(failed.GetProperty("passed").GetBoolean());
        var dkim = failed.GetProperty("deliverability").EnumerateArray().Single(f => f.GetProperty("check").GetString() == "dkim");
        Assert.Equal("sel._domainkey.wrong.test", dkim.GetProperty("record").GetProperty("name").GetString());

        var (badStatus, bad) = await Post("""{"host": "127.0.0.1", "checks": ["dns", "spam"]}""");
        Assert.Equal(400, badStatus);
        Assert.Contains("'spam' is not a check", bad.GetProperty("errors").GetProperty("checks")[0].GetString());
        Assert.Contains("is required for the dns checks", (await Post("""{"host": "127.0.0.1", "checks": ["dns"]}""")).Body.GetProperty("errors").GetProperty("from")[0].GetString());
    }

    private async Task<(int Status, JsonElement Body)> Post(string json)
    {
        var keys = new ApiKeyOptions { ["admin"] = new() { Sha256 = ApiKeyAuthenticator.HashKey(AdminKey), Scopes = "admin" } };
        var secrets = new SecretCache(new DictionarySecretStore([]), TimeProvider.System, Options.Create(new SecretCacheOptions()));
        var endpoint = new DiagnoseEndpoint(
            new ApiGate(new ApiKeyAuthenticator(Options.Create(keys)), new RequestRateLimiter(TimeProvider.System)),
            new JsonBody(TestOptions.Limits()), TestOptions.Smtp(),
            new SmtpDoctor(secrets, TimeProvider.System, NullLogger<SmtpDoctor>.Instance, dnsDiagnosis: Diagnosis()));
        var (status, body, _) = await DiagnoseCall.PostAsync(endpoint, AdminKey, json);
        return (status, body);
    }
}
