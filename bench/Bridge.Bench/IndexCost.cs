using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Bridge.Core;
using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Bridge.Core.Events;
using Bridge.Core.Messages;
using Bridge.Core.Storage;
using Bridge.Core.Visibility;
using Bridge.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bridge.Bench;

/// <summary>
/// <c>--index-cost</c>: what the message index costs in storage requests, counted on Bridge's own clients
/// (in process, over a private Azurite and a plain test SMTP server): per accepted message and per delivered
/// message, with the requests to table <c>messageindex</c> apart (without the index, a message costs the
/// rest: the index only adds requests), and per listed page of <c>GET /api/v1/messages</c>.
/// </summary>
public static class IndexCost
{
    private const string Owner = "bench";

    public static async Task<string> RunAsync(int messages)
    {
        await using var azurite = await Azurite.StartAsync();
        await using var smtp = await TestSmtpServer.StartAsync(TestSmtpSecurity.Plain);
        var counts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Bridge:Smtp:Profiles:default:Host"] = "localhost",
            ["Bridge:Smtp:Profiles:default:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bridge:Smtp:Profiles:default:Security"] = "None",
            ["Bridge:ApiKeys:bench:Sha256"] = ApiKeyAuthenticator.HashKey("bench-key-000001"),
            ["Bridge:ApiKeys:bench:Scopes"] = "send,read",
        }).Build();
        await using var services = await BenchServices.StartAsync(configuration, collection => collection.AddSingleton(
            StorageClients.FromConfiguration(configuration, options => options.AddPolicy(new TableSplitCounter(azurite, counts), HttpPipelinePosition.PerRetry))));

        var caller = new ApiCaller(Owner, new HashSet<string> { ApiScope.Send, ApiScope.Read }, [], []);
        var submission = services.GetRequiredService<MessageSubmission>();
        var report = new List<string> { $"Index cost: {messages} messages, Azurite, requests counted on Bridge's own storage clients." };

        counts.Clear();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, messages), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
            await submission.SubmitAsync(caller, Request(i), null, token));
        report.Add(Line("accept", counts, messages, clock.Elapsed));

        counts.Clear();
        clock.Restart();
        var delivered = await DeliverAllAsync(azurite, services.GetRequiredService<DeliveryWorker>(), services.GetRequiredService<IOptions<Bridge.Core.Outbox.QueueOptions>>().Value.Name);
        report.Add(Line("deliver", counts, delivered, clock.Elapsed));

        var listing = services.GetRequiredService<MessageListing>();
        foreach (var (name, query) in new (string, MessageQuery)[]
                 {
                     ("list page, limit 50, no filter", new MessageQuery()),
                     ("list page, limit 200, no filter", new MessageQuery { Limit = 200 }),
                     ("list page, limit 50, tag on 1 in 20", new MessageQuery { Tag = "rare" }),
                     ("list page, limit 50, status=failed (none)", new MessageQuery { Status = MessageStatus.Failed }),
                 })
        {
            var (pages, requests, items) = (0, 0L, 0);
            var current = query;
            counts.Clear();
            while (pages < 10)
            {
                var page = await listing.ListAsync(caller, current, CancellationToken.None);
                pages++;
                items += page.Items.Count;
                if (page.Next is null)
                {
                    break;
                }

                current = current with { Start = MessageQuery.DecodeCursor(page.Next)! };
            }

            requests = counts.Values.Sum();
            report.Add($"  {name}: {requests / (double)pages:0.00} requests per page ({pages} pages, {items} messages listed)");
        }

        return string.Join(Environment.NewLine, report);
    }

    private static SendRequest Request(int i) => new()
    {
        From = AddressInput.FromText("orders@shop.example"),
        To = [AddressInput.FromText($"customer{i % 50}@example.org")],
        Subject = $"Order {i}",
        Text = "Thank you for your order.",
        Tags = i % 20 == 0 ? ["rare"] : ["common"],
    };

    /// <summary>Delivers every queued message through Bridge's worker; the queue is read by an uncounted client.</summary>
    private static async Task<int> DeliverAllAsync(Azurite azurite, DeliveryWorker worker, string queueName)
    {
        var queue = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var delivered = 0;
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32)).Value;
            if (batch.Length == 0)
            {
                return delivered;
            }

            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (message, token) =>
            {
                await worker.DeliverAsync(message.Body.ToString(), token);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, token);
            });
            delivered += batch.Length;
        }
    }

    private static string Line(string phase, ConcurrentDictionary<string, long> counts, int messages, TimeSpan took)
    {
        var index = counts.Where(c => c.Key.EndsWith(" index", StringComparison.Ordinal)).Sum(c => c.Value);
        var all = counts.Values.Sum();
        var detail = string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value / (double)messages:0.00}"));
        return $"  {phase}: {all / (double)messages:0.00} requests per message, of which message index {index / (double)messages:0.00} "
               + $"(without the index: {(all - index) / (double)messages:0.00}); {messages} in {took.TotalSeconds:0.0} s [{detail}]";
    }

    /// <summary>Counts requests by service (told apart by Azurite's port) and method, marking those to table <c>messageindex</c>.</summary>
    private sealed class TableSplitCounter(Azurite azurite, ConcurrentDictionary<string, long> counts) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            var uri = message.Request.Uri.ToUri();
            var service = uri.Port == azurite.TablePort ? "table" : uri.Port == azurite.QueuePort ? "queue" : "blob";
            var operation = uri.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal) ? "batch" : message.Request.Method.Method;
            var index = service == "table" && uri.AbsolutePath.Contains("/" + StorageNames.MessageIndexTable, StringComparison.Ordinal) ? " index" : "";
            counts.AddOrUpdate($"{service}.{operation}{index}", 1, (_, n) => n + 1);
        }
    }
}
