using Bridge.Core.Suppressions;

namespace Bridge.Core.Tests.Suppressions;

public sealed class SuppressedAddressTests
{
    [Theory]
    [InlineData("Bo@Example.ORG", "Bo@example.org")]
    [InlineData("\"Bo\" <Bo@EXAMPLE.org>", "Bo@example.org")]
    [InlineData("  ann@example.org ", "ann@example.org")]
    [InlineData("weird/#?%@Example.org", "weird/#?%@example.org")]
    public void The_domain_is_lowered_and_the_local_part_kept(string input, string normalized) =>
        Assert.Equal(normalized, SuppressedAddress.Normalize(input));

    [Theory]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("@example.org")]
    [InlineData("ann@")]
    [InlineData("an n@example.org")]
    [InlineData(null)]
    public void Not_an_address_is_null(string? input) => Assert.Null(SuppressedAddress.Normalize(input));

    [Fact]
    public void A_key_holds_no_character_table_storage_refuses_and_reads_back_the_same()
    {
        var address = SuppressedAddress.Normalize("a/b\\c#d?e%f@example.org")!;
        var key = SuppressedAddress.ToKey(address);

        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?');
        Assert.Equal(address, SuppressedAddress.FromKey(key));
    }
}
