namespace Bridge.Core.Deliverability;

/// <summary>Why a configured DKIM key could not sign (a configuration fault: the message must not go out unsigned), and the fix.</summary>
public sealed record DkimUnusable(string Detail, string Hint);
