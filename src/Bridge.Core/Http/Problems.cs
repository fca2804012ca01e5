using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Http;

/// <summary>
/// Every error answer is RFC 9457 problem details with a stable <c>type</c>; the types are listed in docs/api.md.
/// </summary>
public static class Problems
{
    private const string TypePrefix = "urn:bridge:problem:";

    public static IResult BadJson(string detail, IDictionary<string, string[]>? errors = null) =>
        Problem(StatusCodes.Status400BadRequest, "bad-json", "The request body is not valid JSON for this endpoint.", detail, errors);

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        Problem(StatusCodes.Status400BadRequest, "validation", "The request has invalid fields.",
            "See errors for each field that needs fixing.", errors);

    public static IResult Unauthorized() => new WithHeader(
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", "An API key is required.",
            "Send a valid API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."),
        "WWW-Authenticate", "Bearer");

    public static IResult Forbidden(string rule, string detail) =>
        Problem(StatusCodes.Status403Forbidden, rule, "This API key is not allowed to do that.", detail);

    public static IResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "not-found", "Not found.", detail);

    public static IResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The body must be JSON.",
            "Send the request with 'Content-Type: application/json'.");

    /// <summary>For an endpoint that also takes file uploads.</summary>
    public static IResult UnsupportedMediaTypeOrMultipart() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The body must be JSON or multipart/form-data.",
            "Send the request with 'Content-Type: application/json', or 'multipart/form-data' with a 'message' part and 'attachment' file parts.");

    public static IResult TooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "The request is too large.",
            $"A request may carry at most {limit} bytes (attachments are counted base64-encoded).");

    /// <summary>A part of a multipart body went past its own limit (the detail names which).</summary>
    public static IResult PartTooLarge(string detail) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "The request is too large.", detail);

    public static IResult BadMultipart(string detail, IDictionary<string, string[]>? errors = null) =>
        Problem(StatusCodes.Status400BadRequest, "bad-multipart", "The request body is not a valid multipart send.", detail, errors);

    public static IResult RateLimited(string detail, TimeSpan retryAfter) =>
        Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests for this API key.", detail,
            retryAfterSeconds: (int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds)));

    public static IResult Unavailable(string detail, TimeSpan? retryAfter = null) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "Bridge cannot accept messages right now.", detail,
            retryAfterSeconds: (int)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(5)).TotalSeconds));

    public static IResult Problem(
        int status, string type, string title, string detail,
        IDictionary<string, string[]>? errors = null, int? retryAfterSeconds = null,
        IDictionary<string, object?>? extensions = null)
    {
        extensions ??= new Dictionary<string, object?>();
        if (errors is not null)
        {
            extensions["errors"] = errors;
        }

        var problem = TypedResults.Problem(detail, statusCode: status, title: title, type: TypePrefix + type, extensions: extensions);
        return retryAfterSeconds is { } seconds
            ? new WithHeader(problem, "Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : problem;
    }

    /// <summary>The problem details an answer made here carries (for a batch, which lists each item's problem in its body).</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails? DetailsOf(IResult result) => result switch
    {
        WithHeader withHeader => DetailsOf(withHeader.Inner),
        Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem => problem.ProblemDetails,
        _ => null,
    };

    /// <summary>The <c>Retry-After</c> seconds an answer made here carries, or null (for a drop-in API that words its own errors).</summary>
    public static string? RetryAfterOf(IResult result) => result is WithHeader { Name: "Retry-After" } withHeader ? withHeader.Value : null;

    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public IResult Inner => inner;

        public string Name => name;

        public string Value => value;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
