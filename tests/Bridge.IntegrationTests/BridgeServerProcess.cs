using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// Bridge.Server as a real child process (the built Bridge.Server.dll), configured only through
/// environment variables, with its console output captured so tests can read the logs.
/// </summary>
public sealed class BridgeServerProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> output = new();
    private readonly BridgeServerChild child;

    public BridgeServerProcess(IReadOnlyDictionary<string, string> environment) =>
        child = new BridgeServerChild(BridgeServerChild.BuiltDll(), environment, output.Enqueue);

    public int Port => child.Port;
    public HttpClient Http => child.Http;
    public IEnumerable<string> Output => output;
    public bool HasExited => child.HasExited;

    public Task StartAsync() => child.StartAsync(describeFailure: () => string.Join('\n', output));

    /// <summary>Ends the process at once, as a crash or an OOM kill would.</summary>
    public Task KillAsync() => child.KillAsync();

    public Task<JsonElement> WaitForStatusAsync(string apiKey, string id, Func<string, bool> done, TimeSpan timeout) =>
        WaitForMessageAsync(apiKey, id, message => done(message.GetProperty("status").GetString()!), timeout);

    /// <summary>Reads the message until <paramref name="done"/> holds for it (bounded by <paramref name="timeout"/>).</summary>
    public async Task<JsonElement> WaitForMessageAsync(string apiKey, string id, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/messages/{id}");
            request.Headers.Authorization = new("Bearer", apiKey);
            using var response = await Http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                last = (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
                if (done(last))
                {
                    return last;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Message {id} did not finish in {timeout}; last seen: {last}\n{string.Join('\n', output.TakeLast(40))}");
    }

    public ValueTask DisposeAsync() => child.DisposeAsync();
}
