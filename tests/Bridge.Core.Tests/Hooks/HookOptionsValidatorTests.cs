using Bridge.Core.Delivery;
using Bridge.Core.Hooks;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests.Hooks;

public sealed class HookOptionsValidatorTests
{
    /// <summary>What the validator says of a complete hook named <paramref name="name"/> after <paramref name="change"/>.</summary>
    private static IReadOnlyList<string> Failures(Action<HookEntry> change, string name = "shop")
    {
        var entry = Templates.Entry();
        change(entry);
        var result = new HookOptionsValidator(TestOptions.Smtp(), Templates.Liquid).Validate(null, new HookOptions { [name] = entry });
        return result.Failed ? result.Failures.ToList() : [];
    }

    private static void AssertNamed(string start, IReadOnlyList<string> failures) =>
        Assert.Contains(failures, f => f.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public void Complete_hook_is_valid() => Assert.Empty(Failures(_ => { }));

    [Fact]
    public void Template_syntax_error_stops_the_start_naming_the_key() =>
        AssertNamed("Bridge:Hooks:shop:Subject is not a valid Liquid template", Failures(e => e.Subject = "Order {{ payload.id"));

    [Fact]
    public void Broken_condition_is_named() => AssertNamed("Bridge:Hooks:shop:Condition", Failures(e => e.Condition = "payload.type =="));

    [Fact]
    public void Filter_in_a_condition_is_refused_at_start() => AssertNamed("Bridge:Hooks:shop:Condition", Failures(e => e.Condition = "payload.type | upcase"));

    [Fact]
    public void Broken_recipient_entry_is_named_by_its_position() =>
        AssertNamed("Bridge:Hooks:shop:To entry 2", Failures(e => e.To = "ops@shop.example, {{ payload.email"));

    [Fact]
    public void Missing_sender_is_named() => AssertNamed("Bridge:Hooks:shop:From is required", Failures(e => e.From = null));

    [Fact]
    public void Missing_recipients_are_named() => AssertNamed("Bridge:Hooks:shop:To is required", Failures(e => e.To = " "));

    [Fact]
    public void Missing_subject_is_named() => AssertNamed("Bridge:Hooks:shop:Subject is required", Failures(e => e.Subject = null));

    [Fact]
    public void Text_or_html_is_required() => AssertNamed("Bridge:Hooks:shop: Text or Html", Failures(e => e.Text = null));

    [Fact]
    public void Unknown_scheme_is_named_with_the_known_ones()
    {
        var failure = Assert.Single(Failures(e => e.Scheme = "Gitlab"));

        Assert.StartsWith("Bridge:Hooks:shop:Scheme", failure, StringComparison.Ordinal);
        Assert.Contains("StandardWebhooks", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("")]
    public void Scheme_must_be_a_name(string scheme) => AssertNamed("Bridge:Hooks:shop:Scheme", Failures(e => e.Scheme = scheme));

    [Theory]
    [InlineData(null)]
    [InlineData("hook-secret")]
    public void Secret_name_must_be_letters_and_digits(string? secretName) =>
        AssertNamed("Bridge:Hooks:shop:SecretName", Failures(e => e.SecretName = secretName));

    [Fact]
    public void Unknown_profile_is_named() => AssertNamed("Bridge:Hooks:shop:Profile names 'marketing'", Failures(e => e.Profile = "marketing"));

    [Fact]
    public void Malformed_allowed_sender_is_named() =>
        AssertNamed("Bridge:Hooks:shop:AllowedFrom entry 'orders'", Failures(e => e.AllowedFrom = "@shop.example, orders"));

    [Fact]
    public void Hmac_scheme_needs_a_header_and_a_known_algorithm_and_encoding()
    {
        var failures = Failures(e => (e.Scheme, e.Algorithm, e.Encoding) = ("Hmac", "md5", "base32"));

        AssertNamed("Bridge:Hooks:shop:Header", failures);
        AssertNamed("Bridge:Hooks:shop:Algorithm", failures);
        AssertNamed("Bridge:Hooks:shop:Encoding", failures);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("X-Token", "token")]
    public void Token_scheme_needs_exactly_one_place_for_the_token(string? header, string? query) =>
        AssertNamed("Bridge:Hooks:shop: the Token scheme needs exactly one", Failures(e => (e.Scheme, e.Header, e.QueryParameter) = ("Token", header, query)));

    [Fact]
    public void Tolerance_must_be_positive_for_timestamped_schemes() =>
        AssertNamed("Bridge:Hooks:shop:ToleranceSeconds", Failures(e => (e.Scheme, e.ToleranceSeconds) = ("Stripe", 0)));

    [Fact]
    public void Delivery_id_has_one_place() =>
        AssertNamed("Bridge:Hooks:shop: set DeliveryIdHeader or DeliveryIdField", Failures(e => (e.DeliveryIdHeader, e.DeliveryIdField) = ("X-Id", "id")));

    [Fact]
    public void Hook_name_must_fit_in_a_url() => AssertNamed("Bridge:Hooks:my shop:", Failures(_ => { }, "my shop"));

    [Fact]
    public void Catalog_sends_as_a_caller_named_after_the_hook_with_its_profile_and_senders()
    {
        var entry = Templates.Entry();
        (entry.AllowedFrom, entry.MessagesPerDay) = ("@shop.example", 500);
        var catalog = new HookCatalog(Options.Create(new HookOptions { ["Shop"] = entry }), TestOptions.Smtp(), Templates.Liquid);

        var hook = catalog.Find("shop")!;

        Assert.Equal("hook:Shop", hook.Caller.KeyName);
        Assert.Equal([SmtpOptions.DefaultProfile], hook.Caller.Profiles);
        Assert.Equal(["@shop.example"], hook.Caller.AllowedFrom);
        Assert.Equal(500, hook.Caller.MessagesPerDay);
        Assert.Null(catalog.Find("other"));
    }
}
