using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Bridge.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bridge.Functions.Tests;

/// <summary>
/// The Functions app's services with three hooks configured (GitHub, Stripe, and a form builder with a token in
/// the query string), layered over <see cref="FunctionsFixture"/>'s configuration: the same Azurite and SMTP
/// server, but an outbound queue of its own, so "nothing new was queued" can be counted exactly.
/// </summary>
public sealed class HookFixture(FunctionsFixture functions) : IAsyncLifetime
{
    public const string Queue = "hook-mail";
    public const string GitHubSecret = "gh-hook-secret-2b7e";
    public const string StripeSecret = "whsec_stripe_test_8c1f";
    public const string FormToken = "form-token-51d0";

    public FunctionsFixture Functions => functions;
    public ServiceProvider Services { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var hooks = new Dictionary<string, string?>
        {
            ["Bridge:Queue:Name"] = Queue,
            ["Bridge:Secrets:GitHubHookSecret"] = GitHubSecret,
            ["Bridge:Secrets:StripeHookSecret"] = StripeSecret,
            ["Bridge:Secrets:FormHookToken"] = FormToken,

            ["Bridge:Hooks:github:Scheme"] = "GitHub",
            ["Bridge:Hooks:github:SecretName"] = "GitHubHookSecret",
            ["Bridge:Hooks:github:Condition"] = "headers['x-github-event'] == 'issues' and payload.action == 'opened'",
            ["Bridge:Hooks:github:From"] = "Issue Bot <bot@shop.example>",
            ["Bridge:Hooks:github:To"] = "ops@shop.example",
            ["Bridge:Hooks:github:Subject"] = "[{{ payload.repository.full_name }}] #{{ payload.issue.number }} {{ payload.issue.title }}",
            ["Bridge:Hooks:github:Text"] = "{{ payload.sender.login }} opened {{ payload.issue.html_url }}",
            ["Bridge:Hooks:github:Html"] = "<p><b>{{ payload.sender.login }}</b> opened <a href=\"{{ payload.issue.html_url }}\">{{ payload.issue.title }}</a></p>",
            ["Bridge:Hooks:github:AllowedFrom"] = "@shop.example",

            ["Bridge:Hooks:stripe:Scheme"] = "Stripe",
            ["Bridge:Hooks:stripe:SecretName"] = "StripeHookSecret",
            ["Bridge:Hooks:stripe:Condition"] = "payload.type == 'checkout.session.completed'",
            ["Bridge:Hooks:stripe:From"] = "Shop <orders@shop.example>",
            ["Bridge:Hooks:stripe:To"] = "{{ payload.data.object.customer_details.email }}",
            ["Bridge:Hooks:stripe:Subject"] = "Thanks for your order {{ payload.data.object.id }}",
            ["Bridge:Hooks:stripe:Text"] = "We received {{ payload.data.object.amount_total | divided_by: 100.0 }} {{ payload.data.object.currency | upcase }}.",

            ["Bridge:Hooks:forms:Scheme"] = "Token",
            ["Bridge:Hooks:forms:SecretName"] = "FormHookToken",
            ["Bridge:Hooks:forms:QueryParameter"] = "token",
            ["Bridge:Hooks:forms:From"] = "{{ payload.from }}",
            ["Bridge:Hooks:forms:To"] = "ops@shop.example",
            ["Bridge:Hooks:forms:Subject"] = "Form: {{ payload.subject }}",
            ["Bridge:Hooks:forms:Text"] = "{{ payload.message }}",
            ["Bridge:Hooks:forms:AllowedFrom"] = "@shop.example",
        };
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(functions.Services.GetRequiredService<IConfiguration>())
            .AddInMemoryCollection(hooks)
            .Build();
        Services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddBridgeCore(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        foreach (var hosted in Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await Services.DisposeAsync();

    public T Function<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>Posts <paramref name="body"/> to hook <paramref name="name"/> through <see cref="HookFunction"/>, as the Functions host would.</summary>
    public async Task<(int Status, JsonElement Body, IHeaderDictionary Headers)> PostAsync(
        string name, string body, IEnumerable<(string Name, string Value)> headers, string query = "", long? contentLength = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = contentLength ?? bytes.Length;
        context.Request.ContentType = "application/json";
        context.Request.QueryString = new QueryString(query);
        foreach (var (header, value) in headers)
        {
            context.Request.Headers[header] = value;
        }

        context.Response.Body = new MemoryStream();
        return await FunctionsFixture.ExecuteAsync(await Function<HookFunction>().Run(context.Request, name, CancellationToken.None), context);
    }

    /// <summary>GitHub's headers for <paramref name="body"/>: event, delivery id and <c>X-Hub-Signature-256</c> as GitHub documents it.</summary>
    public static (string, string)[] GitHubHeaders(string body, string delivery, string eventName = "issues", string secret = GitHubSecret) =>
    [
        ("X-GitHub-Event", eventName),
        ("X-GitHub-Delivery", delivery),
        ("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)))),
    ];

    /// <summary>Stripe's header for <paramref name="body"/> signed at <paramref name="at"/>, as Stripe documents it.</summary>
    public static (string, string)[] StripeHeaders(string body, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds();
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(StripeSecret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        return [("Stripe-Signature", $"t={t},v1={v1}")];
    }

    /// <summary>How many messages wait on this fixture's queue (peeked, so they stay).</summary>
    public async Task<int> QueuedCountAsync() => (await QueueClient().PeekMessagesAsync(32)).Value.Length;

    /// <summary>Runs the delivery function on the queued message <paramref name="id"/>, as the queue trigger would.</summary>
    public async Task DeliverAsync(string id)
    {
        var message = (await QueueClient().ReceiveMessagesAsync(32)).Value.Single(m => m.Body.ToString().Contains(id, StringComparison.Ordinal));
        await Function<DeliverMessageFunction>().Run(message.Body.ToString(), CancellationToken.None);
        await QueueClient().DeleteMessageAsync(message.MessageId, message.PopReceipt);
    }

    private QueueClient QueueClient() =>
        new(functions.Azurite.ConnectionString, Queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
}
