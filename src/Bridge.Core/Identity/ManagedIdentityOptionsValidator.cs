using Microsoft.Extensions.Options;

namespace Bridge.Core.Identity;

/// <summary>Names a client id that is not one (client ids are GUIDs), and two settings that name different identities.</summary>
public sealed class ManagedIdentityOptionsValidator : IValidateOptions<ManagedIdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagedIdentityOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, value) in new[] { (ManagedIdentityOptions.ClientIdKey, options.ClientId), (ManagedIdentityOptions.StorageClientIdKey, options.StorageClientId) })
        {
            if (!string.IsNullOrWhiteSpace(value) && !Guid.TryParse(value, out _))
            {
                failures.Add($"{key} must be the managed identity's client id (a GUID); it is '{value}'.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.ClientId) && !string.IsNullOrWhiteSpace(options.StorageClientId)
            && !string.Equals(options.ClientId.Trim(), options.StorageClientId.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{ManagedIdentityOptions.ClientIdKey} ({options.ClientId}) and {ManagedIdentityOptions.StorageClientIdKey} " +
                         $"({options.StorageClientId}) name different identities; Bridge and the Functions host must sign in as the same one.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
