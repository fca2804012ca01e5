using Bridge.Core.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Bridge.Functions;

/// <summary>
/// An HTTP function that throws answers as Bridge.Server does (problem+json with a trace id) instead of
/// the host's empty 500. Queue and timer functions rethrow: their retries and poison queue depend on it.
/// </summary>
public sealed class ProblemsMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception error) when (context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            await FrameworkProblems.AnswerAsync(http, error).ConfigureAwait(false);
        }
    }
}
