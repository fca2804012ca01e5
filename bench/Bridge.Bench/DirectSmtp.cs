using System.Diagnostics;
using Bridge.Core.Delivery;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Bridge.Bench;

/// <summary>
/// MailKit straight to the sink, without Bridge: on reused connections (the SMTP ceiling), and with
/// one connection per message (connect, TLS, AUTH, send, QUIT: the naive baseline).
/// </summary>
public static class DirectSmtp
{
    public static async Task<ResultRow> ReusedAsync(SinkTarget sink, int size, int messages, int connections)
    {
        var latency = new Latencies();
        var next = -1;
        var opened = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            var message = MessageFactory.Mime(size);
            SmtpClient? client = null;
            try
            {
                while (Interlocked.Increment(ref next) < messages)
                {
                    if (client is null)
                    {
                        client = await ConnectAsync(sink);
                        Interlocked.Increment(ref opened);
                    }

                    var begin = Stopwatch.GetTimestamp();
                    await client.SendAsync(message);
                    latency.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                }
            }
            finally
            {
                if (client is not null)
                {
                    await client.DisconnectAsync(quit: true);
                    client.Dispose();
                }
            }
        }));
        return new ResultRow
        {
            Phase = "SMTP ceiling", Sink = sink.Name, Size = size, Messages = messages, Concurrency = connections,
            Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds, Latency = latency, SmtpConnections = opened,
            Note = "MailKit, reused connections",
        };
    }

    public static async Task<ResultRow> NaiveAsync(SinkTarget sink, int size, int messages, int concurrency)
    {
        var latency = new Latencies();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var message = MessageFactory.Mime(size);
            while (Interlocked.Increment(ref next) < messages)
            {
                var begin = Stopwatch.GetTimestamp();
                using var client = await ConnectAsync(sink);
                await client.SendAsync(message);
                await client.DisconnectAsync(quit: true);
                latency.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            }
        }));
        return new ResultRow
        {
            Phase = "naive", Sink = sink.Name, Size = size, Messages = messages, Concurrency = concurrency,
            Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds, Latency = latency, SmtpConnections = messages,
            Note = sink.StartTls ? "connect+STARTTLS+AUTH+send+QUIT per message" : "connect+send+QUIT per message",
        };
    }

    public static async Task<SmtpClient> ConnectAsync(SinkTarget sink)
    {
        var client = new SmtpClient
        {
            Timeout = 30_000,
            ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (certificate is not null && CertificateTrust.IsPinned(sink.Thumbprint, certificate)),
        };
        try
        {
            await client.ConnectAsync(sink.Host, sink.Port, sink.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None);
            if (sink.User is { } user)
            {
                await client.AuthenticateAsync(user, sink.Password ?? "");
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends a few messages so that connection set-up, TLS and the JIT are warm before measuring.</summary>
    public static async Task WarmAsync(SinkTarget sink)
    {
        using var client = await ConnectAsync(sink);
        MimeMessage message = MessageFactory.Mime(1024);
        for (var i = 0; i < 20; i++)
        {
            await client.SendAsync(message);
        }

        await client.DisconnectAsync(quit: true);
    }
}
