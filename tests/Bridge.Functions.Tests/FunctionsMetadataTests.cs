using System.Text.Json;
using Bridge.Testing;

namespace Bridge.Functions.Tests;

/// <summary>
/// What the Functions host will index: the generated functions.metadata in the build output, read
/// as the host reads it (no Functions Core Tools needed).
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string Output = RepoPaths.BuildOutput("Bridge.Functions");

    private static JsonElement Function(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata")));
        return document.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == name).Clone();
    }

    private static JsonElement Trigger(string name) =>
        Function(name).GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Theory]
    [InlineData("SendMessage", "post", "v1/messages")]
    [InlineData("GetMessage", "get", "v1/messages/{id}")]
    [InlineData("Health", "get", "health")]
    [InlineData("ReplayMessage", "post", "v1/messages/{id}/replay")]
    [InlineData("DiagnoseSmtp", "post", "v1/smtp/diagnose")]
    [InlineData("ReceiveHook", "post", "v1/hooks/{name}")]
    [InlineData("Metrics", "get", "metrics")]
    [InlineData("OpenApi", "get", "openapi.json")]
    [InlineData("SendGridMailSend", "post", "compat/sendgrid/v3/mail/send")]
    [InlineData("PostmarkEmail", "post", "compat/postmark/email")]
    [InlineData("PostmarkBatch", "post", "compat/postmark/email/batch")]
    [InlineData("ListSuppressions", "get", "v1/suppressions")]
    [InlineData("AddSuppression", "put", "v1/suppressions/{email}")]
    [InlineData("RemoveSuppression", "delete", "v1/suppressions/{email}")]
    [InlineData("ReceiveBounce", "post", "v1/bounces")]
    public void Http_functions_have_their_routes_and_methods_and_are_anonymous(string name, string method, string route)
    {
        var trigger = Trigger(name);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
    }

    [Theory]
    [InlineData("DeliverMessage", "%Bridge:Queue:Name%")]
    [InlineData("PoisonMessage", "%Bridge:Queue:Name%-poison")]
    [InlineData("SendCallback", "callbacks")]
    public void Queue_triggers_read_the_configured_queues_on_the_storage_connection(string name, string queue)
    {
        var trigger = Trigger(name);

        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(queue, trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal("String", trigger.GetProperty("dataType").GetString());
    }

    [Fact]
    public void Retention_sweep_runs_hourly_on_a_timer()
    {
        var trigger = Trigger("SweepExpiredState");

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("0 17 * * * *", trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void Bounce_mailboxes_are_polled_on_a_timer_that_ticks_at_least_as_often_as_the_shortest_interval()
    {
        var trigger = Trigger("PollBounces");

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal($"*/{Core.Bounces.BounceOptionsValidator.MinPollSeconds} * * * * *", trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void Queue_extension_is_registered_and_host_json_decodes_base64()
    {
        Assert.Contains("AzureStorageQueues", File.ReadAllText(Path.Combine(Output, "extensions.json")), StringComparison.Ordinal);
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "host.json")));
        Assert.Equal("base64", host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString());
    }

    [Fact]
    public void Local_settings_sample_names_the_queue_the_trigger_expects()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");

        Assert.Equal("outbound-mail", values.GetProperty("Bridge__Queue__Name").GetString());
        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
    }
}
