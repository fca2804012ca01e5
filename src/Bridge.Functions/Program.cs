using Bridge.Core;
using Bridge.Core.Telemetry;
using Bridge.Functions;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemsMiddleware>();
builder.Services.AddBridgeCore(builder.Configuration);
if (TelemetryRegistration.IsExporting(builder.Configuration))
{
    // The worker's invocation spans and resource (function app name, region), beside Bridge's own.
    builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
}

builder.Logging.AddFilter("Azure.Core", LogLevel.Warning);
builder.Build().Run();
