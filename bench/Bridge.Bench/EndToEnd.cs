using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bridge.Core.Diagnostics;

namespace Bridge.Bench;

/// <summary>
/// Messages posted to Bridge.Server over HTTP at a fixed concurrency, as fast as they are answered or
/// paced at a fixed rate, timed from the first post until every one has its sent event. Accept latency
/// is the time to the 202.
/// </summary>
public sealed class EndToEnd(BridgeServer server, string apiKey, int? azuritePid, string storage)
{
    /// <summary>Bridge.Server's queue, at its default name.</summary>
    private const string BridgeQueue = "outbound-mail";

    /// <param name="perSecond">When given, message i is posted no earlier than i / perSecond seconds after the first.</param>
    public async Task<ResultRow> RunAsync(
        string phase, SinkTarget sink, int size, byte[] body, int messages, int concurrency, TimeSpan timeout, double? perSecond = null)
    {
        var before = await server.MetricsAsync();
        var azuriteCpu = azuritePid is { } a ? ProcessStats.CpuMs(a) : double.NaN;
        var peakReset = ProcessStats.ResetPeak(server.Pid);
        var troubleBefore = server.Trouble.Count;
        using var depth = QueueDepthProbe.Start(storage, BridgeQueue);
        using var alongside = BarePutProbe.Start(storage, size);
        var accepted = new ConcurrentBag<string>();
        var latency = new Latencies();
        var failures = 0;
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < messages)
            {
                if (perSecond is { } rate && TimeSpan.FromSeconds(index / rate) - Stopwatch.GetElapsedTime(started) is { Ticks: > 0 } early)
                {
                    await Task.Delay(early);
                }

                var (id, ms) = await PostAsync(body);
                if (id is null)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                accepted.Add(id);
                latency.Add(ms);
            }
        }));

        // The puts alongside cover the posting, when the accepts were timed.
        var putAlongside = await alongside.StopAsync();
        var ids = accepted.ToArray();
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (ids.Any(id => !server.SentAt.ContainsKey(id)) && Stopwatch.GetTimestamp() < deadline && !server.HasExited
               && server.Trouble.Count - troubleBefore < 10)
        {
            await Task.Delay(20);
        }

        var maxQueueDepth = await depth.StopAsync();
        var sent = ids.Where(server.SentAt.ContainsKey).ToArray();
        var finished = sent.Length == 0 ? Stopwatch.GetTimestamp() : sent.Max(id => server.SentAt[id]);
        var after = await server.MetricsAsync();
        var unsent = messages - sent.Length;
        if (unsent > 0)
        {
            Console.Error.WriteLine($"{phase} {sink.Name} {BenchOptions.FormatSize(size)}: {unsent} of {messages} not seen sent " +
                                    $"({failures} posts failed). Server trouble:\n{string.Join('\n', server.Trouble.Skip(troubleBefore).Take(10))}\n{server.Tail(20)}");
        }

        var delivered = Math.Max(1, sent.Length);
        var allOps = StorageCeiling.Delta(before.AllStorageRequests.Operations, after.AllStorageRequests.Operations);
        return new ResultRow
        {
            Phase = phase, Sink = sink.Name, Size = size, Messages = sent.Length, Concurrency = concurrency,
            Seconds = (finished - started) / (double)Stopwatch.Frequency, Latency = latency,
            StorageOpsPerMessage = allOps.Values.Sum() / (double)delivered,
            StorageOps = allOps,
            BridgeStorageOpsPerMessage = (after.StorageRequests.Total - before.StorageRequests.Total) / (double)delivered,
            SecretReadsPerMessage = (after.SecretStoreReads - before.SecretStoreReads) / (double)delivered,
            SmtpConnections = after.SmtpConnectionsOpened - before.SmtpConnectionsOpened,
            PeakWorkingSetMiB = (peakReset ? ProcessStats.PeakWorkingSet(server.Pid) : after.Process.PeakWorkingSetBytes) / (1024.0 * 1024),
            ServerCpuMsPerMessage = (after.Process.CpuTimeMs - before.Process.CpuTimeMs) / delivered,
            ServerJitMsPerMessage = (after.Process.JitTimeMs - before.Process.JitTimeMs) / delivered,
            ServerAllocatedKiBPerMessage = (after.Process.AllocatedBytes - before.Process.AllocatedBytes) / 1024.0 / delivered,
            AzuriteCpuMsPerMessage = azuritePid is { } p ? (ProcessStats.CpuMs(p) - azuriteCpu) / delivered : null,
            MaxQueueDepth = maxQueueDepth,
            PutAlongside = putAlongside,
            Failures = failures + unsent,
            Note = $"server allocated {(after.Process.AllocatedBytes - before.Process.AllocatedBytes) / 1024.0 / delivered:0} KiB/msg, "
                   + $"gen0/1/2 collections {after.Process.Gen0Collections - before.Process.Gen0Collections}/"
                   + $"{after.Process.Gen1Collections - before.Process.Gen1Collections}/{after.Process.Gen2Collections - before.Process.Gen2Collections}, "
                   + $"thread pool {before.Process.ThreadPoolThreads} -> {after.Process.ThreadPoolThreads} threads"
                   + (peakReset ? "" : "; peak working set is the process's lifetime peak (clear_refs not allowed)"),
        };
    }

    /// <summary>Posts one message; returns its id and the accept latency, or a null id when it was not accepted.</summary>
    public async Task<(string? Id, double Milliseconds)> PostAsync(byte[] body, string contentType = "application/json")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/messages") { Content = content };
        request.Headers.Authorization = new("Bearer", apiKey);
        var begin = Stopwatch.GetTimestamp();
        try
        {
            using var response = await server.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var ms = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                Console.Error.WriteLine($"POST answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
                return (null, ms);
            }

            return (JsonDocument.Parse(text).RootElement.GetProperty("id").GetString(), ms);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"POST failed: {e.Message}");
            return (null, Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
        }
    }

    /// <summary>Posts one message and waits until it is sent; returns the accept latency and the time to sent.</summary>
    public async Task<(double AcceptMs, double SentMs)> SendOneAsync(byte[] body, TimeSpan timeout, string contentType = "application/json")
    {
        var begin = Stopwatch.GetTimestamp();
        var (id, acceptMs) = await PostAsync(body, contentType);
        if (id is null)
        {
            throw new InvalidOperationException("The message was not accepted.");
        }

        var deadline = begin + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!server.SentAt.ContainsKey(id))
        {
            if (Stopwatch.GetTimestamp() > deadline || server.HasExited)
            {
                throw new TimeoutException($"Message {id} was not sent within {timeout}:\n{server.Tail(20)}");
            }

            await Task.Delay(10);
        }

        return (acceptMs, (server.SentAt[id] - begin) * 1000.0 / Stopwatch.Frequency);
    }

    /// <summary>Snapshot of the counters, for the whole-run totals.</summary>
    public Task<MetricsSnapshot> MetricsAsync() => server.MetricsAsync();
}
