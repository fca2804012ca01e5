using Bridge.Core;
using Bridge.Core.Diagnostics;
using Bridge.Core.Hooks;
using Bridge.Core.Http;
using Bridge.Server;
using Microsoft.Extensions.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.UseBridgeDefaultUrl();
builder.UseBridgeRequestLimits();
builder.Services.AddBridgeCore(builder.Configuration);
builder.Services.AddHostedService<RetentionSweepService>();
builder.Host.ConfigureWebJobs(webJobs =>
{
    webJobs.AddAzureStorageCoreServices();
    webJobs.AddAzureStorageQueues(HostJson.BindQueueOptions(builder.Configuration, builder.Environment.ContentRootPath));
});

var app = builder.Build();
var api = app.MapGroup("/api");
api.MapPost(ApiRoutes.Messages, (HttpRequest request, SendEndpoint endpoint, CancellationToken cancellationToken) =>
    endpoint.HandleAsync(request, cancellationToken));
api.MapGet(ApiRoutes.Message, (HttpRequest request, string id, MessageStatusEndpoint endpoint, CancellationToken cancellationToken) =>
    endpoint.HandleAsync(request, id, cancellationToken));
api.MapPost(ApiRoutes.Replay, (HttpRequest request, string id, ReplayEndpoint endpoint, CancellationToken cancellationToken) =>
    endpoint.HandleAsync(request, id, cancellationToken));
api.MapPost(ApiRoutes.Diagnose, (HttpRequest request, DiagnoseEndpoint endpoint, CancellationToken cancellationToken) =>
    endpoint.HandleAsync(request, cancellationToken));
api.MapPost(ApiRoutes.Hook, (HttpRequest request, string name, HookEndpoint endpoint, CancellationToken cancellationToken) =>
    endpoint.HandleAsync(request, name, cancellationToken));
api.MapGet(ApiRoutes.Health, (HealthEndpoint endpoint, CancellationToken cancellationToken) =>
    endpoint.HandleAsync(cancellationToken));
api.MapBridgeMetrics();
app.Run();
