using Bridge.Infra.Tests.Arm;
using Bridge.Infra.Tests.Infrastructure;

namespace Bridge.Infra.Tests;

[Collection(CompiledInfraCollection.Name)]
public sealed class OutputsTests(CompiledInfra infra)
{
    private readonly PlannedDeployment plan = infra.Plan();

    [Fact]
    public void Outputs_give_the_api_base_url_on_the_function_app_host()
    {
        var app = plan.Single(AzureTypes.Site);

        Assert.Equal($"https://{app.Reference.Property("defaultHostName")}/api", plan.Output("BRIDGE_API_BASE_URL"));
    }

    [Fact]
    public void Outputs_name_the_resources_a_user_works_with_next()
    {
        Assert.Equal(plan.Single(AzureTypes.ResourceGroup).Name, plan.Output("AZURE_RESOURCE_GROUP"));
        Assert.Equal(plan.Single(AzureTypes.Site).Name, plan.Output("AZURE_FUNCTION_APP_NAME"));
        Assert.Equal(plan.Single(AzureTypes.KeyVault).Name, plan.Output("AZURE_KEY_VAULT_NAME"));
        Assert.Equal(plan.Single(AzureTypes.KeyVault).Reference.Property("vaultUri"), plan.Output("AZURE_KEY_VAULT_ENDPOINT"));
        Assert.Equal(plan.Single(AzureTypes.StorageAccount).Name, plan.Output("AZURE_STORAGE_ACCOUNT_NAME"));
    }

    [Fact]
    public void Next_step_output_is_the_az_command_that_stores_the_smtp_password()
    {
        var vault = plan.Single(AzureTypes.KeyVault).Name;

        // Piped, so the password never sits on a command line that other processes can read.
        Assert.Equal(
            $"printf %s \"$SMTP_PASSWORD\" | az keyvault secret set --vault-name {vault} --name SmtpPassword --file /dev/stdin --output none",
            plan.Output("BRIDGE_NEXT_STEP"));
        Assert.Equal("SmtpPassword", plan.Output("BRIDGE_SMTP_VAULT_ENTRY"));
    }

    [Fact]
    public void A_relay_that_authenticates_by_address_gets_no_auth_and_no_password_step()
    {
        var byAddress = infra.Plan(("smtpUsername", ""));
        var settings = byAddress.Single(AzureTypes.Site).AppSettings();

        Assert.Equal("", settings["Bridge__Smtp__Profiles__default__Username"]);
        Assert.Equal("", settings["Bridge__Smtp__Profiles__default__PasswordSecret"]);
        Assert.Equal("", byAddress.Output("BRIDGE_NEXT_STEP"));
        Assert.Equal("", byAddress.Output("BRIDGE_SMTP_VAULT_ENTRY"));
    }

    [Fact]
    public void Next_step_names_the_secret_the_app_is_told_to_read()
    {
        var custom = infra.Plan(("smtpPasswordSecretName", "GmailAppPassword"));
        var secretSetting = custom.Single(AzureTypes.Site).AppSettings()["Bridge__Smtp__Profiles__default__PasswordSecret"];

        Assert.Contains($"--name {secretSetting} ", Values.AsText(custom.Output("BRIDGE_NEXT_STEP")), StringComparison.Ordinal);
    }

    [Fact]
    public void Resource_group_is_named_after_the_azd_environment_unless_given()
    {
        Assert.Equal("rg-bridge-test", plan.Single(AzureTypes.ResourceGroup).Name);
        Assert.Equal("rg-mine", infra.Plan(("resourceGroupName", "rg-mine")).Single(AzureTypes.ResourceGroup).Name);
    }

    [Fact]
    public void Generated_names_fit_azure_naming_rules()
    {
        // A long environment name must not push any derived name past its limit.
        var longest = infra.Plan(("environmentName", new string('e', 64)));

        Assert.Matches("^[a-z0-9]{3,24}$", longest.Single(AzureTypes.StorageAccount).Name);
        Assert.Matches("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", longest.Single(AzureTypes.KeyVault).Name);
        Assert.Matches("^[a-z0-9][a-z0-9-]{0,58}[a-z0-9]$", longest.Single(AzureTypes.Site).Name);
        Assert.InRange(longest.Single(AzureTypes.UserAssignedIdentity).Name.Length, 3, 128);
        Assert.InRange(longest.Single(AzureTypes.ApplicationInsights).Name.Length, 1, 260);
        Assert.InRange(longest.Single(AzureTypes.LogAnalytics).Name.Length, 4, 63);
        Assert.Matches("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", longest.OfType(AzureTypes.BlobContainer).First().ShortName());
    }
}
