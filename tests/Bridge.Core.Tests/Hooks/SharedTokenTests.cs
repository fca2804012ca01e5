using Bridge.Core.Hooks;

namespace Bridge.Core.Tests.Hooks;

/// <summary>The Token scheme: the secret itself, in a header or the query string.</summary>
public sealed class SharedTokenTests
{
    private const string Token = "f0rm-t0ken-9f8e7d";
    private const string Body = """{"answers":{"name":"Ann"}}""";
    private static readonly HookVerifier InHeader = HookPreset.Verifier(HookScheme.Token, new HookEntry { Header = "X-Form-Token" });
    private static readonly HookVerifier InQuery = HookPreset.Verifier(HookScheme.Token, new HookEntry { QueryParameter = "token" });

    [Fact]
    public void Token_in_the_header_is_accepted() => Assert.Null(InHeader.Verify(Deliveries.With(Body, ("X-Form-Token", Token)), Token, Deliveries.Now));

    [Theory]
    [InlineData("f0rm-t0ken-9f8e7e")]
    [InlineData("f0rm-t0ken-9f8e7")]
    [InlineData("F0RM-T0KEN-9F8E7D")]
    public void Any_other_token_is_refused(string presented) =>
        Assert.NotNull(InHeader.Verify(Deliveries.With(Body, ("X-Form-Token", presented)), Token, Deliveries.Now));

    [Fact]
    public void Missing_header_is_refused_naming_it() =>
        Assert.Contains("X-Form-Token", InHeader.Verify(Deliveries.With(Body), Token, Deliveries.Now), StringComparison.Ordinal);

    [Fact]
    public void Token_in_the_query_string_is_accepted() => Assert.Null(InQuery.Verify(Deliveries.WithQuery(Body, "token", Token), Token, Deliveries.Now));

    [Fact]
    public void Wrong_token_in_the_query_string_is_refused() => Assert.NotNull(InQuery.Verify(Deliveries.WithQuery(Body, "token", "guess"), Token, Deliveries.Now));

    [Fact]
    public void Token_in_a_header_does_not_satisfy_a_query_hook() =>
        Assert.Contains("'token' query parameter", InQuery.Verify(Deliveries.With(Body, ("token", Token)), Token, Deliveries.Now), StringComparison.Ordinal);
}
