namespace Bridge.Core.Hooks;

/// <summary>The hook's secret exists but is not in the form its scheme needs. The message names the form, never the value.</summary>
public sealed class UnusableSecretException(string message) : Exception(message);
