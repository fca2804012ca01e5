namespace Bridge.Core.Callbacks;

/// <summary>A callback URL's host resolves to an address Bridge may not call (private networks are not allowed).</summary>
public sealed class CallbackDestinationRefusedException(string message) : Exception(message);
