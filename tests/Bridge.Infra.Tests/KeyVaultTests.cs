using Bridge.Infra.Tests.Arm;
using Bridge.Infra.Tests.Infrastructure;

namespace Bridge.Infra.Tests;

[Collection(CompiledInfraCollection.Name)]
public sealed class KeyVaultTests(CompiledInfra infra)
{
    private readonly PlannedDeployment plan = infra.Plan();

    private ArmObject Vault => plan.Single(AzureTypes.KeyVault).Properties;

    [Fact]
    public void Key_vault_authorizes_with_azure_rbac_not_access_policies()
    {
        Assert.Equal(true, Vault["enableRbacAuthorization"]);
        Assert.False(Vault.TryGetValue("accessPolicies", out var policies) && policies is List<object?> { Count: > 0 });
    }

    [Fact]
    public void Key_vault_keeps_deleted_secrets_recoverable()
    {
        Assert.Equal(true, Vault["enableSoftDelete"]);
        Assert.InRange((long)Vault["softDeleteRetentionInDays"]!, 7, 90);
    }

    [Fact]
    public void Key_vault_is_created_empty_the_user_stores_the_smtp_password_later()
    {
        Assert.Empty(plan.OfType(AzureTypes.KeyVaultSecret));
    }
}
