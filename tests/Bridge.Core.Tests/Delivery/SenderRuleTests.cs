using Bridge.Core.Delivery;

namespace Bridge.Core.Tests.Delivery;

public sealed class SenderRuleTests
{
    [Theory]
    [InlineData("orders@shop.example", true)]
    [InlineData("ORDERS@Shop.Example", true)]
    [InlineData("other@shop.example", true)]
    [InlineData("orders@shop.example.evil", false)]
    [InlineData("orders@sub.shop.example", false)]
    [InlineData("boss@elsewhere.example", true)]
    [InlineData("x@elsewhere.example", false)]
    public void Domain_rules_match_the_whole_domain_and_address_rules_the_whole_address(string from, bool allowed) =>
        Assert.Equal(allowed, SenderRule.Allows(["@shop.example", "boss@elsewhere.example"], from));

    [Fact]
    public void No_rules_means_no_restriction() => Assert.True(SenderRule.Allows([], "anyone@anywhere.example"));

    [Theory]
    [InlineData("@shop.example", true)]
    [InlineData("a@shop.example", true)]
    [InlineData("@", false)]
    [InlineData("shop.example", false)]
    [InlineData("a@b@c", false)]
    public void Well_formed_rules(string rule, bool ok) => Assert.Equal(ok, SenderRule.IsWellFormed(rule));
}
