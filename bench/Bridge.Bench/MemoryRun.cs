namespace Bridge.Bench;

/// <summary>
/// Peak working set of Bridge.Server (VmHWM, reset before each size) while it accepts and delivers
/// messages with one attachment, one message at a time.
/// </summary>
public sealed class MemoryRun(BridgeServer server, EndToEnd endToEnd)
{
    public const int Repeats = 3;

    /// <param name="upload">Post the attachment as a multipart file part instead of base64 in JSON.</param>
    public async Task<MemoryRow> RunAsync(SinkTarget sink, int attachmentBytes, bool upload = false)
    {
        var (body, contentType) = upload
            ? MessageFactory.UploadRequest(sink.Profile, attachmentBytes)
            : (MessageFactory.AttachmentRequest(sink.Profile, attachmentBytes), "application/json");
        if (!upload && body.Length > MessageFactory.DefaultMaxRequestBytes)
        {
            throw new InvalidOperationException($"A {attachmentBytes}-byte attachment makes a {body.Length}-byte request, over the default limit.");
        }

        var before = await server.MetricsAsync();
        var baseline = ProcessStats.WorkingSet(server.Pid);
        var reset = ProcessStats.ResetPeak(server.Pid);
        var accept = new Latencies();
        var total = new Latencies();
        for (var i = 0; i < Repeats; i++)
        {
            var (acceptMs, sentMs) = await endToEnd.SendOneAsync(body, TimeSpan.FromMinutes(3), contentType);
            accept.Add(acceptMs);
            total.Add(sentMs);
        }

        var peak = ProcessStats.PeakWorkingSet(server.Pid);
        var after = await server.MetricsAsync();
        return new MemoryRow(sink.Name, attachmentBytes, body.Length, baseline, peak, reset,
            accept.Percentile(50), total.Percentile(50),
            (after.Process.AllocatedBytes - before.Process.AllocatedBytes) / Repeats,
            after.Process.Gen2Collections - before.Process.Gen2Collections)
        {
            Upload = upload,
            CpuMsPerMessage = (after.Process.CpuTimeMs - before.Process.CpuTimeMs) / Repeats,
        };
    }
}

public sealed record MemoryRow(
    string Sink, int AttachmentBytes, int RequestBytes, long BaselineBytes, long PeakBytes, bool PeakWasReset, double AcceptMs, double SentMs,
    long AllocatedBytesPerMessage, int Gen2Collections)
{
    /// <summary>Posted as multipart/form-data with the attachment as a binary file part.</summary>
    public bool Upload { get; init; }

    /// <summary>Bridge.Server's CPU time (user + system) per message, accept and delivery together.</summary>
    public double CpuMsPerMessage { get; init; }
}
