namespace Bridge.Core.Hooks;

/// <summary>Which template field could not be rendered (<c>subject</c>, <c>to[1]</c>, ...) and why.</summary>
public sealed record TemplateFailure(string Field, string Reason);
