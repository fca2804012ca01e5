using System.Text;

namespace Bridge.Functions.Tests;

/// <summary><c>GET /api/ui</c> on the Functions host: the page itself, with a policy that lets only its own script run.</summary>
[Collection(FunctionsCollection.Name)]
public sealed class DeliveryLogFunctionTests(FunctionsFixture fixture)
{
    [Fact]
    public async Task The_page_is_served_with_a_policy_allowing_only_its_own_script_and_no_form_submission()
    {
        var context = fixture.NewContext(apiKey: null);
        await fixture.Function<DeliveryLogFunction>().Run(context.Request).ExecuteAsync(context);

        context.Response.Body.Position = 0;
        var html = await new StreamReader(context.Response.Body, Encoding.UTF8).ReadToEndAsync();
        var policy = context.Response.Headers.ContentSecurityPolicy.ToString();
        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("text/html", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Contains("sessionStorage", html, StringComparison.Ordinal);
        Assert.DoesNotContain("localStorage", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Matches("script-src 'sha256-[A-Za-z0-9+/=]{44}';", policy);
        Assert.Contains("form-action 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Equal("no-referrer", context.Response.Headers["Referrer-Policy"].ToString());
    }
}
