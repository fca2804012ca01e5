namespace Bridge.Testing;

/// <summary>One message the XOAUTH2 test server took: who logged in, the envelope, and its size in bytes.</summary>
public sealed record XOAuth2DeliveredMail(string User, string From, IReadOnlyList<string> To, int Size);
