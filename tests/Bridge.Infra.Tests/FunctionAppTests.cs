using System.Text.RegularExpressions;
using Bridge.Infra.Tests.Arm;
using Bridge.Infra.Tests.Infrastructure;

namespace Bridge.Infra.Tests;

[Collection(CompiledInfraCollection.Name)]
public sealed class FunctionAppTests(CompiledInfra infra)
{
    private readonly PlannedDeployment plan = infra.Plan();

    private PlannedResource App => plan.Single(AzureTypes.Site);

    private PlannedResource Identity => plan.Single(AzureTypes.UserAssignedIdentity);

    private PlannedResource Storage => plan.Single(AzureTypes.StorageAccount);

    private IReadOnlyDictionary<string, object?> Settings => App.AppSettings();

    private Symbol ClientId => Identity.Reference.Property("clientId");

    [Fact]
    public void Function_app_runs_as_the_user_assigned_identity_only()
    {
        var identity = App.Body.GetObject("identity");

        Assert.Equal("UserAssigned", identity["type"]);
        Assert.Equal(new[] { Identity.Id }, identity.GetObject("userAssignedIdentities").Keys);
    }

    [Fact]
    public void Function_app_runs_on_a_linux_flex_consumption_plan()
    {
        var plan = this.plan.Single(AzureTypes.Plan);

        Assert.Equal("FC1", plan.Body.Get("sku.name"));
        Assert.Equal("FlexConsumption", plan.Body.Get("sku.tier"));
        Assert.Equal(true, plan.Properties["reserved"]);
        Assert.Equal(plan.Id, App.Properties["serverFarmId"]);
        Assert.Equal("functionapp,linux", App.Body["kind"]);
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10()
    {
        Assert.Equal("dotnet-isolated", App.Properties.Get("functionAppConfig.runtime.name"));
        Assert.Equal("10.0", App.Properties.Get("functionAppConfig.runtime.version"));
    }

    [Fact]
    public void Deployment_package_is_read_from_its_container_with_the_user_assigned_identity()
    {
        var storage = App.Properties.GetObject("functionAppConfig.deployment.storage");
        var container = Assert.Single(plan.OfType(AzureTypes.BlobContainer), c => c.ShortName() == "app-package");

        Assert.Equal("blobContainer", storage["type"]);
        Assert.Equal($"{Storage.Reference}.primaryEndpoints.blob{container.ShortName()}", storage["value"]);
        Assert.Equal("UserAssignedIdentity", storage.Get("authentication.type"));
        Assert.Equal(Identity.Id, storage.Get("authentication.userAssignedIdentityResourceId"));
    }

    [Fact]
    public void Functions_host_reaches_storage_through_the_identity_with_no_connection_string()
    {
        Assert.Equal("managedidentity", Settings["AzureWebJobsStorage__credential"]);
        Assert.Equal(ClientId, Settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal(Storage.Reference.Property("primaryEndpoints").Property("blob"), Settings["AzureWebJobsStorage__blobServiceUri"]);
        Assert.Equal(Storage.Reference.Property("primaryEndpoints").Property("queue"), Settings["AzureWebJobsStorage__queueServiceUri"]);
        Assert.Equal(Storage.Reference.Property("primaryEndpoints").Property("table"), Settings["AzureWebJobsStorage__tableServiceUri"]);
        Assert.DoesNotContain("AzureWebJobsStorage", Settings.Keys);
    }

    [Fact]
    public void Key_vault_client_signs_in_as_the_user_assigned_identity()
    {
        Assert.Equal(ClientId, Settings["AZURE_CLIENT_ID"]);
        Assert.Equal(plan.Single(AzureTypes.KeyVault).Reference.Property("vaultUri"), Settings["Bridge__KeyVault__Uri"]);
    }

    [Fact]
    public void Telemetry_reaches_application_insights_only_through_entra_id()
    {
        var insights = plan.Single(AzureTypes.ApplicationInsights);

        Assert.Equal($"ClientId={ClientId};Authorization=AAD", Settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal(insights.Reference.Property("ConnectionString"), Settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.Equal(true, insights.Properties["DisableLocalAuth"]);
        Assert.Equal(plan.Single(AzureTypes.LogAnalytics).Id, insights.Properties["WorkspaceResourceId"]);
    }

    [Fact]
    public void App_drains_the_queue_the_template_creates()
    {
        Assert.Contains(plan.OfType(AzureTypes.Queue), q => q.ShortName() == Values.AsText(Settings["Bridge__Queue__Name"]));
        Assert.Equal("outbound-mail", Settings["Bridge__Queue__Name"]);
    }

    [Fact]
    public void Default_smtp_profile_comes_from_the_parameters()
    {
        var plan = infra.Plan(("smtpPort", 465L), ("smtpSecurity", "SslOnConnect"));
        var settings = plan.Single(AzureTypes.Site).AppSettings();

        Assert.Equal("smtp.example.org", settings["Bridge__Smtp__Profiles__default__Host"]);
        Assert.Equal("465", settings["Bridge__Smtp__Profiles__default__Port"]);
        Assert.Equal("SslOnConnect", settings["Bridge__Smtp__Profiles__default__Security"]);
        Assert.Equal("relay@example.org", settings["Bridge__Smtp__Profiles__default__Username"]);
        Assert.Equal("SmtpPassword", settings["Bridge__Smtp__Profiles__default__PasswordSecret"]);
        Assert.Equal("@example.org", settings["Bridge__Smtp__Profiles__default__AllowedFrom"]);
    }

    [Fact]
    public void Default_smtp_profile_uses_starttls_on_587_unless_told_otherwise()
    {
        Assert.Equal("587", Settings["Bridge__Smtp__Profiles__default__Port"]);
        Assert.Equal("StartTls", Settings["Bridge__Smtp__Profiles__default__Security"]);
    }

    [Fact]
    public void Smtp_password_setting_names_a_key_vault_secret_of_letters_and_digits()
    {
        Assert.Matches("^[A-Za-z0-9]+$", Values.AsText(Settings["Bridge__Smtp__Profiles__default__PasswordSecret"]));
    }

    [Fact]
    public void Api_key_is_configured_by_its_hash_with_scopes_profiles_and_senders()
    {
        Assert.Equal(CompiledInfra.SampleApiKeySha256, Settings["Bridge__ApiKeys__default__Sha256"]);
        Assert.Equal("send,read", Settings["Bridge__ApiKeys__default__Scopes"]);
        Assert.Equal("default", Settings["Bridge__ApiKeys__default__Profiles"]);
        Assert.Equal("@example.org", Settings["Bridge__ApiKeys__default__AllowedFrom"]);
        Assert.DoesNotContain(Settings.Values, v => Values.AsText(v).Contains(CompiledInfra.SampleApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Api_key_name_and_hash_case_follow_the_parameters()
    {
        var plan = infra.Plan(("apiKeyName", "shop"), ("apiKeySha256", CompiledInfra.SampleApiKeySha256.ToUpperInvariant()));
        var settings = plan.Single(AzureTypes.Site).AppSettings();

        Assert.Equal(CompiledInfra.SampleApiKeySha256, settings["Bridge__ApiKeys__shop__Sha256"]);
        Assert.DoesNotContain("Bridge__ApiKeys__default__Sha256", settings.Keys);
    }

    [Fact]
    public void Api_key_may_send_as_the_profile_senders_unless_given_its_own()
    {
        // azd hands over an unset environment variable as '', not as "use the default".
        var unset = infra.Plan(("apiKeyAllowedFrom", "")).Single(AzureTypes.Site).AppSettings();
        var own = infra.Plan(("apiKeyAllowedFrom", "orders@example.org")).Single(AzureTypes.Site).AppSettings();

        Assert.Equal("@example.org", unset["Bridge__ApiKeys__default__AllowedFrom"]);
        Assert.Equal("orders@example.org", own["Bridge__ApiKeys__default__AllowedFrom"]);
    }

    [Fact]
    public void App_settings_leave_out_what_flex_consumption_rejects()
    {
        // Flex takes the runtime from functionAppConfig and refuses these settings outright.
        string[] rejected = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"];

        Assert.Empty(Settings.Keys.Intersect(rejected, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void App_setting_names_fit_in_environment_variables()
    {
        Assert.All(Settings.Keys, name => Assert.Matches(new Regex("^[A-Za-z_][A-Za-z0-9_]*$"), name));
    }

    [Fact]
    public void Function_app_accepts_only_https_with_tls_1_2_and_no_ftp()
    {
        Assert.Equal(true, App.Properties["httpsOnly"]);
        Assert.Equal("1.2", App.Properties.Get("siteConfig.minTlsVersion"));
        Assert.Equal("Disabled", App.Properties.Get("siteConfig.ftpsState"));
    }

    [Fact]
    public void Function_app_is_tagged_as_the_azd_api_service()
    {
        Assert.Equal("api", App.Body.Get("tags.azd-service-name"));
        Assert.Equal("bridge-test", App.Body.Get("tags.azd-env-name"));
    }

    [Fact]
    public void Function_app_starts_only_after_its_identity_holds_its_roles()
    {
        var appModule = plan.OfType(AzureTypes.Deployment).Single(d => d.Name == App.Module);
        var rolesModule = plan.OfType(AzureTypes.RoleAssignment).Select(r => r.Module).Distinct().Single();

        Assert.Contains(
            appModule.Body.GetArray("dependsOn").Select(Values.AsText),
            id => id.EndsWith($"{AzureTypes.Deployment}/{rolesModule}", StringComparison.Ordinal));
    }

    [Fact]
    public void Extra_app_settings_follow_bridges_own_so_more_profiles_need_no_bicep_edit()
    {
        var extra = new List<object?>
        {
            new ArmObject { ["name"] = "Bridge__Smtp__Profiles__google__Host", ["value"] = "smtp-relay.gmail.com" },
            new ArmObject { ["name"] = "Bridge__Dkim__shop__Selector", ["value"] = "s1" },
        };
        var settings = infra.Plan(("extraAppSettings", extra)).Single(AzureTypes.Site).AppSettings();

        Assert.Equal("smtp-relay.gmail.com", settings["Bridge__Smtp__Profiles__google__Host"]);
        Assert.Equal("s1", settings["Bridge__Dkim__shop__Selector"]);
        Assert.Equal("smtp.example.org", settings["Bridge__Smtp__Profiles__default__Host"]);
    }

    [Fact]
    public void Without_a_static_egress_address_no_network_is_deployed()
    {
        Assert.Null(App.Properties["virtualNetworkSubnetId"]);
        Assert.All(new[] { AzureTypes.VirtualNetwork, AzureTypes.NatGateway, AzureTypes.PublicIp }, type => Assert.False(plan.Single(type).Deployed));
        Assert.Equal("", plan.Output("BRIDGE_EGRESS_IP"));
    }

    [Fact]
    public void A_static_egress_address_is_a_nat_gateway_with_one_static_ip_on_the_apps_delegated_subnet()
    {
        var egress = infra.Plan(("staticEgressIp", true));
        var ip = egress.Single(AzureTypes.PublicIp);
        var nat = egress.Single(AzureTypes.NatGateway);
        var vnet = egress.Single(AzureTypes.VirtualNetwork);
        var subnet = (ArmObject)Assert.Single((List<object?>)vnet.Properties["subnets"]!)!;

        Assert.All(new[] { ip, nat, vnet }, resource => Assert.True(resource.Deployed));
        Assert.Equal("Static", ip.Properties["publicIPAllocationMethod"]);
        Assert.Equal("Standard", ip.Body.Get("sku.name"));
        Assert.Equal(ip.Id, ((ArmObject)((List<object?>)nat.Properties["publicIpAddresses"]!)[0]!)["id"]);
        Assert.Equal(nat.Id, subnet.Get("properties.natGateway.id"));
        Assert.Equal("Microsoft.App/environments", ((ArmObject)((List<object?>)subnet.Get("properties.delegations")!)[0]!).Get("properties.serviceName"));
        Assert.Equal($"{vnet.Id}/subnets/{subnet["name"]}", egress.Single(AzureTypes.Site).Properties["virtualNetworkSubnetId"]);
        Assert.Equal($"{ip.Reference}.ipAddress", Values.AsText(egress.Output("BRIDGE_EGRESS_IP")));
    }
}
