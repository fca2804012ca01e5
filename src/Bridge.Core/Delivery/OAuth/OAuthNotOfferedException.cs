namespace Bridge.Core.Delivery.OAuth;

/// <summary>The profile logs in with OAuth, but the server offers neither XOAUTH2 nor OAUTHBEARER on this connection.</summary>
public sealed class OAuthNotOfferedException(IEnumerable<string> offered)
    : Exception($"The server offers no OAuth login (XOAUTH2 or OAUTHBEARER); it offers: {Describe(offered)}.")
{
    private static string Describe(IEnumerable<string> offered) =>
        offered.ToList() is { Count: > 0 } list ? string.Join(", ", list) : "no AUTH mechanism at all";
}
