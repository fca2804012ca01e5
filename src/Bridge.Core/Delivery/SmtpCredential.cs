namespace Bridge.Core.Delivery;

/// <summary>What a login presents: a password, or an OAuth access token (sent with XOAUTH2 or OAUTHBEARER).</summary>
public sealed record SmtpCredential(string Username, string Secret, bool IsAccessToken);
