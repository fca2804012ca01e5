using Bridge.Infra.Tests.Arm;

namespace Bridge.Infra.Tests.Infrastructure;

public static class AzureTypes
{
    public const string ResourceGroup = "Microsoft.Resources/resourceGroups";
    public const string Deployment = "Microsoft.Resources/deployments";
    public const string UserAssignedIdentity = "Microsoft.ManagedIdentity/userAssignedIdentities";
    public const string StorageAccount = "Microsoft.Storage/storageAccounts";
    public const string BlobContainer = "Microsoft.Storage/storageAccounts/blobServices/containers";
    public const string Queue = "Microsoft.Storage/storageAccounts/queueServices/queues";
    public const string Table = "Microsoft.Storage/storageAccounts/tableServices/tables";
    public const string KeyVault = "Microsoft.KeyVault/vaults";
    public const string KeyVaultSecret = "Microsoft.KeyVault/vaults/secrets";
    public const string LogAnalytics = "Microsoft.OperationalInsights/workspaces";
    public const string ApplicationInsights = "Microsoft.Insights/components";
    public const string Plan = "Microsoft.Web/serverfarms";
    public const string Site = "Microsoft.Web/sites";
    public const string RoleAssignment = "Microsoft.Authorization/roleAssignments";
    public const string PublicIp = "Microsoft.Network/publicIPAddresses";
    public const string NatGateway = "Microsoft.Network/natGateways";
    public const string VirtualNetwork = "Microsoft.Network/virtualNetworks";
    public const string ScheduledQueryRule = "Microsoft.Insights/scheduledQueryRules";
    public const string ActionGroup = "Microsoft.Insights/actionGroups";
    public const string Workbook = "Microsoft.Insights/workbooks";
}

/// <summary>Built-in Azure role definition ids.</summary>
public static class Roles
{
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    public const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public const string Contributor = "b24988ac-6180-42e3-9c28-bf7ce7fd0b5e";
    public const string UserAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
    public const string RoleBasedAccessControlAdministrator = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";

    /// <summary>The role definition id of an assignment, as the last segment of roleDefinitionId.</summary>
    public static string Of(PlannedResource assignment) =>
        Values.AsText(assignment.Properties["roleDefinitionId"]).Split('/')[^1];
}

public static class PlannedResourceExtensions
{
    /// <summary>A site's app settings by name (siteConfig.appSettings is a list of name/value pairs).</summary>
    public static IReadOnlyDictionary<string, object?> AppSettings(this PlannedResource site) =>
        site.Properties.GetArray("siteConfig.appSettings").Cast<ArmObject>()
            .ToDictionary(s => Values.AsText(s["name"]), s => s["value"]);

    /// <summary>The last segment of a child resource's name: "outbound-mail" of "st/default/outbound-mail".</summary>
    public static string ShortName(this PlannedResource resource) => resource.Name.Split('/')[^1];
}
