namespace Bridge.Core.Hooks;

/// <summary>A template used a value the delivery does not have; <see cref="Path"/> names it (e.g. <c>payload.issue.title</c>).</summary>
public sealed class UndefinedValueException(string path) : Exception($"'{path}' is not in the delivery")
{
    public string Path { get; } = path;
}
