using System.Text.Json;
using Bridge.Infra.Tests.Arm;
using Bridge.Infra.Tests.Infrastructure;

namespace Bridge.Infra.Tests;

/// <summary>Alerts, the workbook and the scale knobs an operator runs Bridge with (docs/operations.md).</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class OperationsTests(CompiledInfra infra)
{
    private readonly PlannedDeployment plan = infra.Plan();

    [Fact]
    public void Alerts_watch_poisoned_messages_the_failed_rate_and_the_queue_age_in_application_insights()
    {
        var insights = plan.Single(AzureTypes.ApplicationInsights);

        var rules = Rules(plan);

        Assert.Equal(["failed-rate", "poisoned", "queue-age"], rules.Keys.Order());
        Assert.All(rules.Values, rule =>
        {
            Assert.Equal(new object?[] { insights.Id }, rule.Properties.GetArray("scopes"));
            Assert.Equal(true, rule.Properties["enabled"]);
            Assert.Equal("GreaterThan", Criterion(rule)["operator"]);
        });
        Assert.Contains("\"bridge.messages.poisoned\"", Query(rules["poisoned"]));
        Assert.Equal(0L, Criterion(rules["poisoned"])["threshold"]);
        Assert.Contains("\"bridge.messages.failed\"", Query(rules["failed-rate"]));
        Assert.Equal(5L, Criterion(rules["failed-rate"])["threshold"]);
        Assert.Contains("\"bridge.queue.age\"", Query(rules["queue-age"]));
        Assert.Equal(15L * 60, Criterion(rules["queue-age"])["threshold"]);
    }

    [Fact]
    public void Alert_thresholds_follow_the_parameters()
    {
        var rules = Rules(infra.Plan(("failedRatePercent", 20L), ("queueAgeAlertMinutes", 60L)));

        Assert.Equal(20L, Criterion(rules["failed-rate"])["threshold"]);
        Assert.Equal(3600L, Criterion(rules["queue-age"])["threshold"]);
    }

    [Fact]
    public void Alerts_notify_an_email_only_when_one_is_given()
    {
        Assert.DoesNotContain(plan.OfType(AzureTypes.ActionGroup), g => g.Deployed);
        Assert.All(Rules(plan).Values, rule => Assert.Empty(rule.Properties.GetArray("actions.actionGroups")));

        var notified = infra.Plan(("alertEmail", "ops@example.org"));
        var group = Assert.Single(notified.OfType(AzureTypes.ActionGroup), g => g.Deployed);
        Assert.Equal("ops@example.org", Assert.Single(group.Properties.GetArray("emailReceivers")).As<ArmObject>()["emailAddress"]);
        Assert.All(Rules(notified).Values, rule => Assert.Equal(new object?[] { group.Id }, rule.Properties.GetArray("actions.actionGroups")));
    }

    [Fact]
    public void Workbook_charts_delivery_rate_latency_and_failures_from_bridge_telemetry()
    {
        var workbook = plan.Single(AzureTypes.Workbook);

        Assert.Equal("shared", workbook.Body["kind"]);
        Assert.Equal(plan.Single(AzureTypes.ApplicationInsights).Id, workbook.Properties["sourceId"]);
        using var content = JsonDocument.Parse(Values.AsText(workbook.Properties["serializedData"]));
        var queries = content.RootElement.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("type").GetInt32() == 3)
            .Select(i => i.GetProperty("content").GetProperty("query").GetString()!)
            .ToList();
        Assert.Contains(queries, q => q.Contains("\"bridge.messages.sent\"", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains("\"bridge.delivery.duration\"", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains("\"smtp send\"", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains("\"bridge.messages.failed\"", StringComparison.Ordinal));
        Assert.Contains(queries, q => q.Contains("\"bridge.deliver\"", StringComparison.Ordinal) && q.Contains("smtp.reply.code", StringComparison.Ordinal));
    }

    [Fact]
    public void Scale_settings_follow_the_parameters()
    {
        var defaults = Scale(plan);
        Assert.Equal(40L, defaults["maximumInstanceCount"]);
        Assert.Equal(2048L, defaults["instanceMemoryMB"]);
        Assert.Empty(defaults.GetArray("alwaysReady"));
        Assert.Equal("8", plan.Single(AzureTypes.Site).AppSettings()["Bridge__Delivery__MaxConnectionsPerProfile"]);

        var tuned = infra.Plan(("maximumInstanceCount", 100L), ("instanceMemoryMB", 4096L), ("alwaysReadyInstances", 2L), ("maxSmtpConnectionsPerInstance", 3L));
        var scale = Scale(tuned);
        Assert.Equal(100L, scale["maximumInstanceCount"]);
        Assert.Equal(4096L, scale["instanceMemoryMB"]);
        var ready = Assert.Single(scale.GetArray("alwaysReady")).As<ArmObject>();
        Assert.Equal("http", ready["name"]);
        Assert.Equal(2L, ready["instanceCount"]);
        Assert.Equal("3", tuned.Single(AzureTypes.Site).AppSettings()["Bridge__Delivery__MaxConnectionsPerProfile"]);
    }

    private static ArmObject Scale(PlannedDeployment plan) =>
        plan.Single(AzureTypes.Site).Properties.GetObject("functionAppConfig.scaleAndConcurrency");

    private static Dictionary<string, PlannedResource> Rules(PlannedDeployment plan) =>
        plan.OfType(AzureTypes.ScheduledQueryRule).ToDictionary(r => r.ShortName().Split('-', 4)[^1]);

    private static ArmObject Criterion(PlannedResource rule) => Assert.Single(rule.Properties.GetArray("criteria.allOf")).As<ArmObject>();

    private static string Query(PlannedResource rule) => Values.AsText(Criterion(rule)["query"]);
}

internal static class ArmCasts
{
    public static T As<T>(this object? value) => Assert.IsType<T>(value);
}
