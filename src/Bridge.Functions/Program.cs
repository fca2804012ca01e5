using Bridge.Core;
using Bridge.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemsMiddleware>();
builder.Services.AddBridgeCore(builder.Configuration);
builder.Logging.AddFilter("Azure.Core", LogLevel.Warning);
builder.Build().Run();
