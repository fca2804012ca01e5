using System.Net;
using System.Text.Json;
using Bridge.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Tests.Http;

/// <summary>What the framework answers around the endpoints is problem+json too, and a crash shows a trace id, never a stack.</summary>
public sealed class FrameworkProblemsTests : IAsyncLifetime
{
    private const string Secret = "connection-string-with-AccountKey=c2VjcmV0";
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.UseBridgeProblems();
        app.MapGet("/api/crash", (Func<IResult>)(() => throw new InvalidOperationException(Secret)));
        app.MapPost("/api/only-post", () => Results.Ok());
        app.MapGet("/api/empty-400", () => Results.StatusCode(StatusCodes.Status400BadRequest));
        app.MapGet("/api/own-problem", () => Problems.NotFound("the endpoint's own words"));
        app.MapGet("/api/storage-down", (Func<IResult>)(() => throw new Azure.RequestFailedException("Connection refused", new HttpRequestException("Connection refused"))));
        await app.StartAsync();
        client = app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string MediaType, JsonElement Problem, string Text)> Get(string path, HttpMethod? method = null)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, path));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_problem_with_a_trace_id_and_no_stack_or_message()
    {
        var (status, mediaType, problem, text) = await Get("/api/crash");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal("urn:bridge:problem:internal", problem.GetProperty("type").GetString());
        var traceId = problem.GetProperty("traceId").GetString();
        Assert.False(string.IsNullOrEmpty(traceId));
        Assert.Contains(traceId!, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/v9/nothing-here", HttpStatusCode.NotFound, "not-found", "GET /api/v9/nothing-here")]
    [InlineData("DELETE", "/api/only-post", HttpStatusCode.MethodNotAllowed, "method-not-allowed", "/api/only-post does not answer DELETE")]
    [InlineData("GET", "/api/empty-400", HttpStatusCode.BadRequest, "bad-request", "could not read")]
    [InlineData("GET", "/api/storage-down", HttpStatusCode.ServiceUnavailable, "unavailable", "nothing was accepted")]
    public async Task Framework_answers_are_problems(string method, string path, HttpStatusCode expected, string type, string detail)
    {
        var (status, mediaType, problem, _) = await Get(path, new HttpMethod(method));

        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal($"urn:bridge:problem:{type}", problem.GetProperty("type").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_that_does_not_answer_is_a_503_saying_when_to_retry()
    {
        using var response = await client.GetAsync("/api/storage-down");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task An_endpoints_own_problem_is_left_as_it_is()
    {
        var (status, _, problem, _) = await Get("/api/own-problem");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("the endpoint's own words", problem.GetProperty("detail").GetString());
    }
}
