using System.Text.Json;
using System.Text.RegularExpressions;
using Bridge.Infra.Tests.Arm;
using Bridge.Infra.Tests.Infrastructure;

namespace Bridge.Infra.Tests;

/// <summary>No secret value passes through the template, its parameters file or its outputs.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class SecretsTests(CompiledInfra infra)
{
    [Fact]
    public void Template_creates_no_key_vault_secret()
    {
        Assert.DoesNotContain(AzureTypes.KeyVaultSecret, infra.TemplateJson, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Template_never_reads_account_keys_or_builds_connection_strings()
    {
        Assert.DoesNotMatch(ListFunction(), infra.TemplateJson);
        Assert.DoesNotContain("AccountKey=", infra.TemplateJson, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessSignature", infra.TemplateJson, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DefaultEndpointsProtocol", infra.TemplateJson, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Template_takes_no_secret_as_a_parameter()
    {
        var parameters = infra.Template.GetObject("parameters");

        Assert.All(parameters, p =>
        {
            Assert.DoesNotContain("secure", Values.AsText(((ArmObject)p.Value!)["type"]), StringComparison.OrdinalIgnoreCase);
            Assert.False(
                SecretSoundingName().IsMatch(p.Key) && !p.Key.EndsWith("SecretName", StringComparison.Ordinal) && !p.Key.EndsWith("Sha256", StringComparison.Ordinal),
                $"Parameter '{p.Key}' sounds like it carries a secret value.");
        });
    }

    [Fact]
    public void Api_key_parameter_only_fits_a_hex_sha256()
    {
        var apiKey = infra.Template.GetObject("parameters.apiKeySha256");

        Assert.Equal(64L, apiKey["minLength"]);
        Assert.Equal(64L, apiKey["maxLength"]);
    }

    [Fact]
    public void Parameters_file_holds_only_azd_environment_references()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "main.parameters.json")));

        Assert.All(file.RootElement.GetProperty("parameters").EnumerateObject(), p =>
            Assert.Matches(AzdReference(), p.Value.GetProperty("value").GetString()));
    }

    [Fact]
    public void Outputs_reveal_no_secret_value()
    {
        var plan = infra.Plan();

        Assert.All(plan.OutputNames, name =>
        {
            var value = Values.AsText(plan.Output(name));
            Assert.DoesNotContain(CompiledInfra.SampleApiKeySha256, value, StringComparison.Ordinal);
            Assert.DoesNotContain("ConnectionString", value, StringComparison.OrdinalIgnoreCase);
        });
    }

    // listKeys, listSecrets, listAccountSas, listConnectionStrings...: every list* function reads a secret.
    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();

    [GeneratedRegex("password|secret|token|credential|key$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretSoundingName();

    [GeneratedRegex(@"^\$\{[A-Z][A-Z0-9_]*(=[^}]*)?\}$")]
    private static partial Regex AzdReference();
}
