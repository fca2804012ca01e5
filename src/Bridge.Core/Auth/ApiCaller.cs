namespace Bridge.Core.Auth;

/// <summary>The authenticated key behind a request.</summary>
public sealed record ApiCaller(
    string KeyName,
    IReadOnlySet<string> Scopes,
    IReadOnlyList<string> Profiles,
    IReadOnlyList<string> AllowedFrom,
    int RequestsPerSecond = 0,
    int MessagesPerDay = 0)
{
    public bool Has(string scope) => Scopes.Contains(scope) || Scopes.Contains(ApiScope.Admin);

    public bool MayUseProfile(string profile) =>
        Profiles.Count == 0 || Profiles.Contains(profile, StringComparer.OrdinalIgnoreCase);

    public bool MayRead(string ownerKeyName) =>
        Scopes.Contains(ApiScope.Admin) || string.Equals(ownerKeyName, KeyName, StringComparison.OrdinalIgnoreCase);
}
