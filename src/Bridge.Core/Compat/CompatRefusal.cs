using Bridge.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Core.Compat;

/// <summary>
/// A refusal of Bridge's own (a problem answer from the gate, the body reader or the send path), taken apart so a
/// drop-in API can word it in its own error shape: the status, the problem type's last part (<c>validation</c>,
/// <c>sender-not-allowed</c>, ...), the detail, the field errors and the <c>Retry-After</c> seconds.
/// </summary>
public sealed record CompatRefusal(int Status, string Rule, string Detail, IReadOnlyDictionary<string, string[]> Errors, string? RetryAfter)
{
    private const string TypePrefix = "urn:bridge:problem:";

    public static CompatRefusal Of(IResult problem)
    {
        var details = Problems.DetailsOf(problem) ?? throw new InvalidOperationException($"{problem.GetType().Name} is not a problem answer.");
        var errors = details.Extensions.TryGetValue("errors", out var value) && value is IDictionary<string, string[]> fields
            ? fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal)
            : new Dictionary<string, string[]>(StringComparer.Ordinal);
        var rule = details.Type is { } type && type.StartsWith(TypePrefix, StringComparison.Ordinal) ? type[TypePrefix.Length..] : "error";
        return new CompatRefusal(details.Status ?? StatusCodes.Status400BadRequest, rule, details.Detail ?? details.Title ?? "", errors,
            Problems.RetryAfterOf(problem));
    }

    /// <summary>Every field error as "field: message", with the field named as the drop-in API names it.</summary>
    public IEnumerable<(string Field, string Message)> FieldErrors(Func<string, string> rename) =>
        Errors.SelectMany(e => e.Value.Select(message => (rename(e.Key), message)));
}
