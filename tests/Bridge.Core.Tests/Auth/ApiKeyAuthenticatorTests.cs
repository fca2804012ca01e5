using Bridge.Core.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Tests.Auth;

public sealed class ApiKeyAuthenticatorTests
{
    private const string AppKey = "app-secret-key-1";
    private const string ReaderKey = "reader-secret-key-2";

    private readonly ApiKeyAuthenticator authenticator = new(Options.Create(new ApiKeyOptions
    {
        ["app"] = new() { Sha256 = ApiKeyAuthenticator.HashKey(AppKey), Scopes = "send, read", Profiles = "default", AllowedFrom = "@shop.example" },
        ["reader"] = new() { Sha256 = ApiKeyAuthenticator.HashKey(ReaderKey), Scopes = "read" },
    }));

    private static HttpRequest Request(string header, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = value;
        return context.Request;
    }

    [Fact]
    public void Bearer_key_finds_its_entry_with_scopes_and_rules()
    {
        var caller = authenticator.Authenticate(Request("Authorization", "Bearer " + AppKey));

        Assert.NotNull(caller);
        Assert.Equal("app", caller.KeyName);
        Assert.True(caller.Has(ApiScope.Send));
        Assert.True(caller.Has(ApiScope.Read));
        Assert.False(caller.Has(ApiScope.Admin));
        Assert.Equal(["@shop.example"], caller.AllowedFrom);
    }

    [Fact]
    public void X_api_key_header_works_too() =>
        Assert.Equal("reader", authenticator.Authenticate(Request("X-Api-Key", ReaderKey))?.KeyName);

    [Theory]
    [InlineData("Authorization", "Bearer wrong-key")]
    [InlineData("Authorization", "Basic " + AppKey)]
    [InlineData("Authorization", "Bearer ")]
    [InlineData("X-Api-Key", "")]
    [InlineData("X-Other", AppKey)]
    public void Unknown_or_malformed_keys_are_not_authenticated(string header, string value) =>
        Assert.Null(authenticator.Authenticate(Request(header, value)));

    [Fact]
    public void A_drop_in_APIs_own_header_is_read_only_on_its_routes()
    {
        var request = Request("X-Postmark-Server-Token", AppKey);

        Assert.Equal("app", authenticator.Authenticate(request, "X-Postmark-Server-Token")?.KeyName);
        Assert.Null(authenticator.Authenticate(request));
    }

    [Fact]
    public void Hash_is_lowercase_hex_sha256() =>
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", ApiKeyAuthenticator.HashKey("hello"));
}
