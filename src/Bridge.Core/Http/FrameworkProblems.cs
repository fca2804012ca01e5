using System.Diagnostics;
using Bridge.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Core.Http;

/// <summary>
/// Problem details for the answers the framework gives before or around an endpoint: an unknown route
/// (404), a wrong method (405), a body Kestrel refuses (413, 400) and an unexpected exception (500 with
/// a trace id to quote, never a stack), or 503 with Retry-After when storage cannot be reached. Endpoints
/// write their own problems; this only fills in the rest.
/// </summary>
public static partial class FrameworkProblems
{
    public static IApplicationBuilder UseBridgeProblems(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = AnswerExceptionAsync });
        app.UseStatusCodePages(new StatusCodePagesOptions { HandleAsync = context => AnswerEmptyStatusAsync(context.HttpContext) });
        return app;
    }

    private static Task AnswerExceptionAsync(HttpContext context) =>
        AnswerAsync(context, context.Features.Get<IExceptionHandlerFeature>()?.Error);

    /// <summary>Answers a request whose endpoint threw; the Functions app's worker middleware calls this too.</summary>
    public static Task AnswerAsync(HttpContext context, Exception? error)
    {
        if (error is BadHttpRequestException refused)
        {
            // Kestrel's own refusals (a body over its limit, a malformed request) are the client's doing.
            context.Response.StatusCode = refused.StatusCode;
            return ForStatus(refused.StatusCode, context).ExecuteAsync(context);
        }

        var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FrameworkProblems));
        if (StorageOutage.Is(error))
        {
            // Not Bridge's failure, and nothing was accepted: the client sends again once storage is back.
            LogStorageOutage(logger, context.Request.Method, context.Request.Path, traceId, ErrorText.FirstLine(error!.Message));
            return Problems.Unavailable(
                "Storage cannot be reached; nothing was accepted or changed. Send the same request again after the Retry-After " +
                "interval (with the same Idempotency-Key, if you used one); GET /api/health shows when storage answers again.",
                StorageOutage.RetryAfter).ExecuteAsync(context);
        }

        LogUnexpected(logger, context.Request.Method, context.Request.Path, traceId, error);
        return Problems.Problem(StatusCodes.Status500InternalServerError, "internal", "Bridge failed unexpectedly.",
            $"Nothing in the request explains this failure; quote trace id {traceId} when you report it.",
            extensions: new Dictionary<string, object?> { ["traceId"] = traceId }).ExecuteAsync(context);
    }

    private static Task AnswerEmptyStatusAsync(HttpContext context) =>
        ForStatus(context.Response.StatusCode, context).ExecuteAsync(context);

    private static IResult ForStatus(int status, HttpContext context) => status switch
    {
        StatusCodes.Status404NotFound => Problems.NotFound($"No route {context.Request.Method} {context.Request.Path}; see docs/api.md for the routes."),
        StatusCodes.Status405MethodNotAllowed => Problems.Problem(status, "method-not-allowed", "This route does not take that method.",
            $"{context.Request.Path} does not answer {context.Request.Method}; see docs/api.md for the routes."),
        StatusCodes.Status413PayloadTooLarge => Problems.Problem(status, "too-large", "The request is too large.",
            "The body is over the size this server reads; see Bridge:Limits in docs/api.md."),
        StatusCodes.Status408RequestTimeout => Problems.Problem(status, "request-timeout", "The request body came too slowly.",
            "The server stopped waiting for the body; send it again."),
        _ => Problems.Problem(status, status < 500 ? "bad-request" : "unavailable",
            status < 500 ? "The request is malformed." : "Bridge cannot answer right now.",
            status < 500 ? "The server could not read the request line, headers or body." : "Retry shortly."),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable answering {Method} {Path} (trace {TraceId}): {Reason}; answered 503")]
    private static partial void LogStorageOutage(ILogger logger, string method, string path, string traceId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure answering {Method} {Path} (trace {TraceId})")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, string traceId, Exception? error);
}
