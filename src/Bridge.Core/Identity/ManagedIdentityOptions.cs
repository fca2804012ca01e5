using Bridge.Core.Storage;
using Microsoft.Extensions.Configuration;

namespace Bridge.Core.Identity;

/// <summary>
/// Which managed identity Bridge's own clients (Key Vault, storage) sign in with. One rule: the user-assigned
/// identity named by <c>AZURE_CLIENT_ID</c>, else the one named by <c>AzureWebJobsStorage__clientId</c> (the
/// Functions host's own setting for its trigger), else the system-assigned identity or, locally, the developer's
/// sign-in. When both are set they must name the same identity.
/// </summary>
public sealed class ManagedIdentityOptions
{
    public const string ClientIdKey = "AZURE_CLIENT_ID";
    public const string StorageClientIdKey = StorageNames.ConnectionName + ":clientId";

    public string? ClientId { get; set; }

    public string? StorageClientId { get; set; }

    /// <summary>The client id the rule picks, or null for the system-assigned identity (developer sign-in locally).</summary>
    public string? EffectiveClientId => !string.IsNullOrWhiteSpace(ClientId) ? ClientId : !string.IsNullOrWhiteSpace(StorageClientId) ? StorageClientId : null;

    public static ManagedIdentityOptions From(IConfiguration configuration)
    {
        var options = new ManagedIdentityOptions();
        options.ReadFrom(configuration);
        return options;
    }

    /// <summary>Reads the two settings, which live at the top level and under the storage connection rather than in one section.</summary>
    public void ReadFrom(IConfiguration configuration)
    {
        ClientId = configuration[ClientIdKey];
        StorageClientId = configuration[StorageClientIdKey];
    }
}
