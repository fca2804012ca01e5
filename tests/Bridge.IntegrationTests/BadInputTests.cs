using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Bridge.IntegrationTests;

/// <summary>Everything a client can get wrong gets a clear 4xx problem from the real server, never a 5xx, and queues nothing.</summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests(ServerFixture fixture)
{
    private async Task<(HttpStatusCode Status, JsonElement Problem, HttpResponseMessage Response)> Raw(byte[] body, string contentType = "application/json", string? key = ServerFixture.ApiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new(contentType);
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        var response = await fixture.Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default, response);
    }

    /// <summary>A raw connection that has sent a send request's head up to <paramref name="rest"/>, for what HttpClient will not send.</summary>
    private async Task<TcpClient> SendHeadAsync(string rest)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, fixture.Server.Port);
        var head = "POST /api/v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
                   $"Authorization: Bearer {ServerFixture.ApiKey}\r\n{rest}";
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
        return client;
    }

    [Fact]
    public async Task Metrics_when_off_are_a_404_problem_saying_how_to_turn_them_on()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/metrics");
        request.Headers.Authorization = new("Bearer", ServerFixture.AdminKey);
        using var response = await fixture.Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Bridge:Diagnostics:Metrics", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_with_invalid_utf8_is_a_400_problem_naming_text()
    {
        var (status, problem, _) = await Raw([.. """{"from":"a@shop.example","to":["b@example.org"],"subject":"s","text":"a"""u8, 0xC3, 0x28, .. "\"}"u8]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("valid Unicode", problem.GetProperty("errors").GetProperty("text")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declared_oversize_is_refused_before_the_body_is_sent()
    {
        using var client = await SendHeadAsync($"Content-Length: {30 * 1024 * 1024}\r\n\r\n{{\"from\":");
        await using var stream = client.GetStream();

        // Nothing more is sent: an answer can only come from the declared length.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chunked_oversize_is_a_413_problem_not_an_empty_answer()
    {
        using var client = await SendHeadAsync("Transfer-Encoding: chunked\r\n\r\n");
        await using var stream = client.GetStream();
        var chunk = Encoding.ASCII.GetBytes($"10000\r\n{new string('A', 0x10000)}\r\n");
        await stream.WriteAsync("9\r\n{\"text\":\"\r\n"u8.ToArray());

        // Keep sending until the server answers; it must do so once the limit is passed, long before three times it.
        long written = 0;
        while (client.Available == 0 && written < ServerFixture.MaxRequestBytes * 3)
        {
            await stream.WriteAsync(chunk);
            written += 0x10000;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (!answer.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) || !answer.ToString().Contains('}', StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.StartsWith("HTTP/1.1 413", answer.ToString(), StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"status\":413", answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streamed_oversize_is_refused_long_before_the_client_finishes()
    {
        var (status, written) = await StreamingJsonContent.PostAsync(fixture.Server.Http, ServerFixture.ApiKey, ServerFixture.MaxRequestBytes * 50);

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"status {status}");
        Assert.True(written < ServerFixture.MaxRequestBytes * 10, $"the client wrote {written} bytes before being stopped");
    }

    [Theory]
    [InlineData("{\"from\": ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("null")]
    [InlineData("{\"from\": \"a@shop.example\"} trailing")]
    [InlineData("{\"subject\": \"x\", \"subject\": 7}")]
    public async Task Malformed_json_is_400(string body) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await Raw(Encoding.UTF8.GetBytes(body))).Status);

    [Fact]
    public async Task Deeply_nested_json_is_400()
    {
        var body = "{\"metadata\":" + new string('[', 200) + new string(']', 200) + "}";

        Assert.Equal(HttpStatusCode.BadRequest, (await Raw(Encoding.UTF8.GetBytes(body))).Status);
    }

    [Fact]
    public async Task Invalid_utf8_is_400() =>
        Assert.Equal(HttpStatusCode.BadRequest, (await Raw([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'])).Status);

    [Fact]
    public async Task Form_posts_are_415() =>
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Raw("from=a"u8.ToArray(), "application/x-www-form-urlencoded")).Status);

    [Fact]
    public async Task Missing_key_is_401_with_a_bearer_challenge()
    {
        var (status, problem, response) = await Raw("{}"u8.ToArray(), key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("urn:bridge:problem:unauthorized", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Header_injection_is_400_naming_the_header()
    {
        var (status, problem, _) = await Raw(JsonSerializer.SerializeToUtf8Bytes(new
        {
            from = "orders@shop.example", to = new[] { "ann@example.org" }, subject = "x", text = "x",
            headers = new Dictionary<string, string> { ["X-Note"] = "hi\r\nBcc: everyone@example.org" },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("headers.X-Note", out _));
    }

    [Fact]
    public async Task Mangled_requests_never_get_a_server_error()
    {
        var valid = JsonSerializer.SerializeToUtf8Bytes(new
        {
            from = "orders@shop.example", to = new[] { "ann@example.org" }, subject = "fuzz", text = "x",
            attachments = new[] { new { filename = "a.txt", content = "aGk=" } }, headers = new Dictionary<string, string> { ["X-A"] = "b" },
        });
        var random = new Random(20261127);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 150; i++)
        {
            var mangled = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mangled[random.Next(mangled.Length)] = (byte)random.Next(256);
            }

            statuses.Add((await Raw(mangled)).Status);
        }

        Assert.All(statuses, s => Assert.True((int)s < 500, $"got {(int)s}"));
        Assert.Contains(HttpStatusCode.BadRequest, statuses);
    }

    [Fact]
    public async Task Burst_beyond_the_keys_rate_is_429_with_retry_after()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            fixture.PostAsync(ServerFixture.Mail("burst " + Guid.NewGuid()), ServerFixture.BurstKey)));

        var limited = responses.Where(r => r.Response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(limited.Count, 1, 6);
        Assert.All(limited, r => Assert.True(r.Response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.All(limited, r => Assert.Equal("urn:bridge:problem:rate-limited", r.Body.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Daily_cap_is_429_until_utc_midnight()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await fixture.PostAsync(ServerFixture.Mail($"daily {i}"), ServerFixture.DailyKey)).Response.StatusCode);
        }

        var (response, problem) = await fixture.PostAsync(ServerFixture.Mail("daily over"), ServerFixture.DailyKey);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var untilMidnight = DateTime.UtcNow.Date.AddDays(1) - DateTime.UtcNow;
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, untilMidnight.TotalSeconds - 60, untilMidnight.TotalSeconds + 2);
        Assert.Contains("3 messages for today", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "api/v9/unknown", HttpStatusCode.NotFound, "not-found")]
    [InlineData("DELETE", "api/health", HttpStatusCode.MethodNotAllowed, "method-not-allowed")]
    public async Task Framework_answers_are_problem_json_too(string method, string path, HttpStatusCode expected, string type)
    {
        using var response = await fixture.Server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:bridge:problem:" + type, problem.RootElement.GetProperty("type").GetString());
    }
}
