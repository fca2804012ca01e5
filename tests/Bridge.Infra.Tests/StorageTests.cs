using Bridge.Infra.Tests.Arm;
using Bridge.Infra.Tests.Infrastructure;

namespace Bridge.Infra.Tests;

[Collection(CompiledInfraCollection.Name)]
public sealed class StorageTests(CompiledInfra infra)
{
    private readonly PlannedDeployment plan = infra.Plan();

    private ArmObject Account => plan.Single(AzureTypes.StorageAccount).Properties;

    [Fact]
    public void Storage_account_refuses_shared_key_access()
    {
        Assert.Equal(false, Account["allowSharedKeyAccess"]);
    }

    [Fact]
    public void Storage_account_requires_tls_1_2_over_https()
    {
        Assert.Equal("TLS1_2", Account["minimumTlsVersion"]);
        Assert.Equal(true, Account["supportsHttpsTrafficOnly"]);
    }

    [Fact]
    public void Storage_account_allows_no_anonymous_blob_access()
    {
        Assert.Equal(false, Account["allowBlobPublicAccess"]);
        Assert.All(plan.OfType(AzureTypes.BlobContainer), c => Assert.Equal("None", c.Properties["publicAccess"]));
    }

    [Fact]
    public void Storage_account_has_the_outbound_queue_its_poison_queue_and_the_callbacks_queue()
    {
        Assert.Equal(new[] { "callbacks", "outbound-mail", "outbound-mail-poison" }, plan.OfType(AzureTypes.Queue).Select(q => q.ShortName()).Order());
    }

    [Fact]
    public void Storage_account_has_the_messages_message_index_idempotency_quotas_and_suppressions_tables()
    {
        Assert.Equal(new[] { "idempotency", "messageindex", "messages", "quotas", "suppressions" }, plan.OfType(AzureTypes.Table).Select(t => t.ShortName()).Order());
    }

    [Fact]
    public void Storage_account_has_the_payload_and_deployment_package_containers()
    {
        Assert.Equal(new[] { "app-package", "outbound-payloads" }, plan.OfType(AzureTypes.BlobContainer).Select(c => c.ShortName()).Order());
    }

    [Fact]
    public void Queues_tables_and_containers_belong_to_the_one_storage_account()
    {
        var account = plan.Single(AzureTypes.StorageAccount).Name;
        var children = plan.OfType(AzureTypes.Queue).Concat(plan.OfType(AzureTypes.Table)).Concat(plan.OfType(AzureTypes.BlobContainer));

        Assert.All(children, child => Assert.StartsWith($"{account}/default/", child.Name, StringComparison.Ordinal));
    }
}
