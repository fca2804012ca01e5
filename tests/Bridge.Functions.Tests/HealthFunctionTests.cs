using Bridge.Core;
using Bridge.Core.Health;
using Bridge.Core.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Functions.Tests;

[Collection(FunctionsCollection.Name)]
public sealed class HealthFunctionTests(FunctionsFixture fixture)
{
    [Fact]
    public async Task Healthy_when_storage_answers_and_profiles_are_valid()
    {
        var context = fixture.NewContext(apiKey: null);

        var (status, body, _) = await FunctionsFixture.ExecuteAsync(
            await fixture.Function<HealthFunction>().Run(context.Request, CancellationToken.None), context);

        Assert.Equal(200, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("queue").GetString());
    }

    [Fact]
    public async Task Unhealthy_503_names_the_failing_check_without_secrets()
    {
        var port = Bridge.Testing.FreePort.Next();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString.Replace(
                fixture.Azurite.QueuePort.ToString(), port.ToString(), StringComparison.Ordinal),
            ["Bridge:Smtp:Profiles:default:Host"] = "localhost",
            ["Bridge:Secrets:SmtpPassword"] = FunctionsFixture.SmtpPassword,
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddBridgeCore(configuration).BuildServiceProvider();
        var context = fixture.NewContext(apiKey: null);
        context.RequestServices = services;

        var (status, body, _) = await FunctionsFixture.ExecuteAsync(
            await new HealthFunction(services.GetRequiredService<HealthEndpoint>()).Run(context.Request, CancellationToken.None), context);

        Assert.Equal(503, status);
        Assert.NotEqual("ok", body.GetProperty("checks").GetProperty("queue").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("table").GetString());
        Assert.DoesNotContain(FunctionsFixture.SmtpPassword, body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Bridge.Testing.Azurite.AccountKey, body.GetRawText(), StringComparison.Ordinal);
    }
}
