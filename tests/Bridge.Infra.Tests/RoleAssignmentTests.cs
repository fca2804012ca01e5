using Bridge.Infra.Tests.Arm;
using Bridge.Infra.Tests.Infrastructure;

namespace Bridge.Infra.Tests;

[Collection(CompiledInfraCollection.Name)]
public sealed class RoleAssignmentTests(CompiledInfra infra)
{
    private readonly PlannedDeployment plan = infra.Plan();

    private Symbol AppPrincipal => plan.Single(AzureTypes.UserAssignedIdentity).Reference.Property("principalId");

    private IEnumerable<PlannedResource> Assignments => plan.OfType(AzureTypes.RoleAssignment).Where(r => r.Deployed);

    [Fact]
    public void Function_app_identity_gets_blob_data_owner_on_the_storage_account() =>
        AssertAppIdentityHolds(Roles.StorageBlobDataOwner, plan.Single(AzureTypes.StorageAccount));

    [Fact]
    public void Function_app_identity_gets_queue_data_contributor_on_the_storage_account() =>
        AssertAppIdentityHolds(Roles.StorageQueueDataContributor, plan.Single(AzureTypes.StorageAccount));

    [Fact]
    public void Function_app_identity_gets_table_data_contributor_on_the_storage_account() =>
        AssertAppIdentityHolds(Roles.StorageTableDataContributor, plan.Single(AzureTypes.StorageAccount));

    [Fact]
    public void Function_app_identity_gets_secrets_user_on_the_key_vault() =>
        AssertAppIdentityHolds(Roles.KeyVaultSecretsUser, plan.Single(AzureTypes.KeyVault));

    [Fact]
    public void Function_app_identity_gets_metrics_publisher_on_application_insights() =>
        AssertAppIdentityHolds(Roles.MonitoringMetricsPublisher, plan.Single(AzureTypes.ApplicationInsights));

    [Fact]
    public void Function_app_identity_holds_those_five_roles_and_nothing_else()
    {
        var held = Assignments.Where(a => Equals(a.Properties["principalId"], AppPrincipal)).Select(Roles.Of).Order();

        Assert.Equal(
            new[]
            {
                Roles.StorageBlobDataOwner, Roles.StorageQueueDataContributor, Roles.StorageTableDataContributor,
                Roles.KeyVaultSecretsUser, Roles.MonitoringMetricsPublisher,
            }.Order(),
            held);
    }

    [Fact]
    public void No_one_is_granted_owner_contributor_or_access_administration()
    {
        var broad = new[] { Roles.Owner, Roles.Contributor, Roles.UserAccessAdministrator, Roles.RoleBasedAccessControlAdministrator };
        var withDeployer = infra.Plan(("principalId", "22222222-2222-2222-2222-222222222222"));

        Assert.DoesNotContain(withDeployer.OfType(AzureTypes.RoleAssignment), a => broad.Contains(Roles.Of(a)));
        Assert.All(broad, role => Assert.DoesNotContain(role, infra.TemplateJson, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Role_assignments_have_guid_names_so_a_redeploy_finds_the_same_ones()
    {
        Assert.All(plan.OfType(AzureTypes.RoleAssignment), a => Assert.StartsWith("guid(", a.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_deployer_principal_only_the_app_identity_is_granted_anything()
    {
        Assert.All(Assignments, a => Assert.Equal(AppPrincipal, a.Properties["principalId"]));
    }

    [Fact]
    public void Deployer_named_by_azd_may_set_secrets_in_this_vault_and_nothing_more()
    {
        const string deployer = "22222222-2222-2222-2222-222222222222";
        var withDeployer = infra.Plan(("principalId", deployer));

        var granted = withDeployer.OfType(AzureTypes.RoleAssignment)
            .Where(a => a.Deployed && Equals(a.Properties["principalId"], deployer))
            .ToList();

        var assignment = Assert.Single(granted);
        Assert.Equal(Roles.KeyVaultSecretsOfficer, Roles.Of(assignment));
        Assert.Equal(withDeployer.Single(AzureTypes.KeyVault).Id, assignment.Body["scope"]);
    }

    private void AssertAppIdentityHolds(string role, PlannedResource scope)
    {
        var assignment = Assert.Single(Assignments, a => Roles.Of(a) == role && Equals(a.Properties["principalId"], AppPrincipal));

        Assert.Equal(scope.Id, assignment.Body["scope"]);
        Assert.Equal("ServicePrincipal", assignment.Properties["principalType"]);
    }
}
