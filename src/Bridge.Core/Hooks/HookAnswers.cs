using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Hooks;

/// <summary>The answers only the hook route gives; the rest are the shared <see cref="Problems"/>.</summary>
public static class HookAnswers
{
    /// <summary>The same shape as any other 404, and no hint of which hooks do exist.</summary>
    public static IResult NotFound() => Problems.NotFound("Nothing is served at this address.");

    /// <summary>202 <c>{"status": "ignored"}</c>: the hook's condition is false, so nothing was queued (the platform only needs a 2xx).</summary>
    public static IResult Ignored() => TypedResults.Accepted((string?)null, new IgnoredDelivery("ignored"));

    public static IResult BadSignature(string reason) =>
        Problems.Problem(StatusCodes.Status401Unauthorized, "bad-signature", "The delivery's signature could not be verified.",
            $"Refused because {reason}. Check that the platform and Bridge use the same secret.");

    public static IResult TemplateFailed(string hook, TemplateFailure failure) =>
        Problems.Problem(StatusCodes.Status422UnprocessableEntity, "template-failed", "The hook's templates could not turn this delivery into a message.",
            $"Hook '{hook}', field '{failure.Field}': {failure.Reason}.", new Dictionary<string, string[]> { [failure.Field] = [failure.Reason] });

    public static IResult RenderedInvalid(string hook, IDictionary<string, string[]> errors) =>
        Problems.Problem(StatusCodes.Status422UnprocessableEntity, "template-failed", "The hook's templates could not turn this delivery into a message.",
            $"Hook '{hook}' rendered a message that is not valid; see errors for each field.", errors);
}

/// <summary>The body of a 202 for a delivery the hook's condition passed over.</summary>
public sealed record IgnoredDelivery(string Status);
