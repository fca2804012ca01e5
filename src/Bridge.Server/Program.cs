using Bridge.Core;
using Bridge.Core.Http;
using Bridge.Core.Visibility;
using Bridge.Server;
using Microsoft.Extensions.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.UseBridgeDefaultUrl();
builder.UseBridgeRequestLimits();
builder.Services.AddBridgeCore(builder.Configuration);
builder.Services.AddHostedService<RetentionSweepService>();
builder.Services.AddHostedService<BouncePollService>();
builder.Services.AddBridgeOpenApi();
builder.Host.ConfigureWebJobs(webJobs =>
{
    webJobs.AddAzureStorageCoreServices();
    webJobs.AddAzureStorageQueues(HostJson.BindQueueOptions(builder.Configuration, builder.Environment.ContentRootPath));
});
builder.Services.AddPatientWebJobsStorage();

var app = builder.Build();
app.UseBridgeProblems();
app.UseBridgeRequestLimits();
app.MapBridgeApi();
app.MapBridgeOpenApi();

// The delivery log page at the root too, so the address of the server alone opens it.
// Left out of the OpenAPI document: the Functions app has no root page, and both serve the same document.
app.MapGet("/", (DeliveryLogEndpoint page) => page.Handle()).ExcludeFromDescription();
app.Run();
