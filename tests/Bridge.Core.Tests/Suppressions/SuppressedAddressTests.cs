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

public sealed class SuppressedRecipientsTests
{
    private static readonly DateTimeOffset Since = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Recipients_are_split_by_address_with_the_domain_ignoring_case_and_the_rest_keep_their_order()
    {
        var gone = new Suppression("shop", "Gone@example.org", Suppression.FromBounce, Since, Status: "5.1.1");

        var split = SuppressedRecipients.Split(["ann@example.org", "Gone@EXAMPLE.org", "bo@example.org", "gone@example.org"], [gone]);

        Assert.Equal(["Gone@EXAMPLE.org"], split.Skipped.Select(s => s.Recipient));
        Assert.Same(gone, split.Skipped[0].Suppression);
        Assert.Equal(["ann@example.org", "bo@example.org", "gone@example.org"], split.Rest);
        Assert.Equal("Skipped: suppressed for API key 'shop' since 2026-12-01T08:00:00Z (bounce, 5.1.1).", SuppressedRecipients.Describe(gone));
    }

    [Fact]
    public void Nothing_found_skips_nobody() =>
        Assert.Equal(["ann@example.org"], SuppressedRecipients.Split(["ann@example.org"], []).Rest);
}
