using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Bridge.Core;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Bridge.Core.Outbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.IO;

namespace Bridge.Bench;

/// <summary>
/// <c>stages</c>: the pure stages of a message's path, one at a time, with BenchmarkDotNet (time and allocated bytes per
/// operation), for the same text mails as <c>stage-cost</c>. Accept: read the JSON body, validate, compose the MIME,
/// prepare the envelope (render, compress, serialize). Deliver: read the envelope and load the MIME from it, write it as
/// the SMTP DATA. No storage or network: the storage and SMTP round trips are <c>stage-cost</c>'s and the full run's.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class StageBenchmarks
{
    public const string Command = "stages";

    private ServiceProvider services = null!;
    private JsonBody json = null!;
    private SendRequestValidator validator = null!;
    private MimeComposer composer = null!;
    private OutboxQueue outbox = null!;
    private byte[] body = [];
    private SendRequest request = null!;
    private ValidatedMessage validated = null!;
    private MimeMessage composed = null!;
    private string queueMessage = "";
    private LoadedMessage loaded = null!;

    [Params(1024, 100 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    /// <summary>Runs the benchmarks; arguments after the command go to BenchmarkDotNet (e.g. <c>--filter *Compose*</c>).</summary>
    public static int Run(string[] args)
    {
        BenchmarkSwitcher.FromTypes([typeof(StageBenchmarks)]).Run(args.Length == 0 ? ["--filter", "*"] : args);
        return 0;
    }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Never contacted: the stages measured here make no storage request for mail that fits the queue message.
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Bridge:Queue:CompressInline"] = "true",
            ["Bridge:Smtp:Profiles:default:Host"] = "127.0.0.1",
            ["Bridge:Smtp:Profiles:default:Port"] = "25",
            ["Bridge:Smtp:Profiles:default:Security"] = "None",
        }).Build();
        services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddBridgeCore(configuration).BuildServiceProvider();
        json = services.GetRequiredService<JsonBody>();
        validator = services.GetRequiredService<SendRequestValidator>();
        composer = services.GetRequiredService<MimeComposer>();
        outbox = services.GetRequiredService<OutboxQueue>();

        body = MessageFactory.TextRequest("default", Size);
        request = await ReadAsync() ?? throw new InvalidOperationException("The bench's request did not parse.");
        validated = Validate();
        composed = Compose();
        queueMessage = await Envelope();
        loaded = await outbox.LoadMessageAsync(OutboxQueue.Deserialize(queueMessage), CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        composed.Dispose();
        await loaded.DisposeAsync();
        services.Dispose();
    }

    [Benchmark(Description = "accept: read JSON")]
    public async Task<int> ReadJson()
    {
        // As the send endpoint does once the MIME is rendered: a large text's pooled array goes back to the pool.
        var read = await ReadAsync();
        read?.ReleaseBodies();
        return read is null ? 0 : 1;
    }

    private async Task<SendRequest?> ReadAsync()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
        return (await json.ReadAsync<SendRequest>(context.Request, CancellationToken.None)).Value;
    }

    [Benchmark(Description = "accept: validate")]
    public ValidatedMessage Validate() =>
        validator.Validate(request, new ValidationErrors()) ?? throw new InvalidOperationException("The bench's request is not valid.");

    [Benchmark(Description = "accept: compose MIME")]
    public MimeMessage Compose() => composer.Compose("bench-message-id", validated);

    [Benchmark(Description = "accept: envelope (render, compress, serialize)")]
    public async Task<string> Envelope()
    {
        await using var prepared = await outbox.PrepareAsync("bench-message-id", "bench", "default", validated.From.Address,
            [.. validated.Recipients.Select(r => r.Address)], DateTimeOffset.UnixEpoch, null, composed, CancellationToken.None);
        return prepared.Envelope.MimeBrotli is null && prepared.Envelope.Mime is null
            ? throw new InvalidOperationException($"{Size} bytes do not fit the queue message here; stages measures inline mail only.")
            : OutboxQueue.Serialize(prepared.Envelope);
    }

    [Benchmark(Description = "deliver: read envelope, load MIME")]
    public async Task<int> Load()
    {
        await using var message = await outbox.LoadMessageAsync(OutboxQueue.Deserialize(queueMessage), CancellationToken.None);
        return message.Message.Headers.Count;
    }

    [Benchmark(Description = "deliver: write DATA")]
    public void WriteData()
    {
        // As MailKit writes DATA: CRLF line ends, through a filter that counts, into the socket (here, nowhere).
        using var sink = new MeasuringStream();
        loaded.Message.WriteTo(SmtpFormat, sink);
    }

    private static readonly FormatOptions SmtpFormat = CreateSmtpFormat();

    private static FormatOptions CreateSmtpFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.HiddenHeaders.Add(HeaderId.Bcc);
        return format;
    }

    /// <summary>In process (no generated project to build), a short run: the stages differ by orders of magnitude, not by percent.</summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
            WithSummaryStyle(BenchmarkDotNet.Reports.SummaryStyle.Default.WithCultureInfo(CultureInfo.InvariantCulture));
        }
    }
}
