using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Functions.Tests;

/// <summary>The worker middleware turns an HTTP function's crash into problem+json and leaves other triggers' failures to the host.</summary>
public sealed class ProblemsMiddlewareTests
{
    private const string Secret = "AccountKey=c2VjcmV0";

    [Fact]
    public async Task An_http_function_that_throws_answers_500_problem_with_a_trace_id_and_no_secret()
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        var context = new HttpFunctionContext(http);

        await new ProblemsMiddleware().Invoke(context, _ => throw new InvalidOperationException(Secret));

        Assert.Equal(StatusCodes.Status500InternalServerError, http.Response.StatusCode);
        Assert.StartsWith("application/problem+json", http.Response.ContentType, StringComparison.Ordinal);
        http.Response.Body.Position = 0;
        var text = await new StreamReader(http.Response.Body).ReadToEndAsync();
        using var problem = JsonDocument.Parse(text);
        Assert.Equal("urn:bridge:problem:internal", problem.RootElement.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("traceId").GetString()));
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_function_that_cannot_reach_storage_answers_503_with_retry_after()
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();

        // What the Storage SDK throws once its retries are spent on a storage account that does not answer.
        await new ProblemsMiddleware().Invoke(new HttpFunctionContext(http), _ => throw new AggregateException(
            "Retry failed after 4 tries.",
            Enumerable.Range(0, 4).Select(_ => new Azure.RequestFailedException("Connection refused (127.0.0.1:10001)", new HttpRequestException("Connection refused")))));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("30", http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(http.Response.Body);
        Assert.Equal("urn:bridge:problem:unavailable", problem.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_queue_function_that_throws_still_throws_so_the_host_retries_it()
    {
        var context = new HttpFunctionContext(http: null);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ProblemsMiddleware().Invoke(context, _ => throw new InvalidOperationException("crash")));
    }

    /// <summary>
    /// The Functions host is not available here; this carries only what the ASP.NET Core integration
    /// reads (the HttpContext under its item key), so GetHttpContext() runs its real code.
    /// </summary>
    private sealed class HttpFunctionContext(HttpContext? http) : FunctionContext
    {
        public override string InvocationId => "invocation";
        public override string FunctionId => "function";
        public override TraceContext TraceContext => null!;
        public override BindingContext BindingContext => null!;
        public override RetryContext RetryContext => null!;
        public override IServiceProvider InstanceServices { get; set; } = null!;
        public override FunctionDefinition FunctionDefinition => null!;
        public override IDictionary<object, object> Items { get; set; } =
            http is null ? new Dictionary<object, object>() : new Dictionary<object, object> { ["HttpRequestContext"] = http };
        public override IInvocationFeatures Features => null!;
    }
}
