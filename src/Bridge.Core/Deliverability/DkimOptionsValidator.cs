using Bridge.Core.Secrets;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Deliverability;

/// <summary>
/// Fails the process at start naming the bad key. A key held in configuration is parsed here too; a key in
/// Key Vault cannot be read before the host runs, so it is checked at first use (and by the doctor).
/// </summary>
public sealed class DkimOptionsValidator(ISecretStore secrets) : IValidateOptions<DkimOptions>
{
    public ValidateOptionsResult Validate(string? name, DkimOptions options)
    {
        var failures = new List<string>();
        foreach (var (keyName, entry) in options.Keys)
        {
            var key = $"{DkimOptions.SectionName}:{keyName}";
            if (!SecretName.IsValid(keyName))
            {
                failures.Add($"{key}: the name must be letters and digits (put the domain in {key}:Domain).");
            }

            if (Uri.CheckHostName(entry.Domain) != UriHostNameType.Dns || !entry.Domain.Contains('.'))
            {
                failures.Add($"{key}:Domain must be a domain name such as example.com (it is '{entry.Domain}').");
            }

            if (entry.Selector.Length == 0 || Uri.CheckHostName(entry.Selector) != UriHostNameType.Dns)
            {
                failures.Add($"{key}:Selector must be a DNS name such as bridge2026 (it is '{entry.Selector}').");
            }

            if (!SecretName.IsValid(entry.PrivateKeySecret))
            {
                failures.Add($"{key}:PrivateKeySecret must be a secret name of letters and digits only (the name of the secret, not the key).");
            }
            else if (secrets is ConfigurationSecretStore && Unparsable(entry.PrivateKeySecret) is { } problem)
            {
                failures.Add($"{key}:PrivateKeySecret: {problem}");
            }
        }

        foreach (var twin in options.Keys.GroupBy(k => (k.Value.Domain.ToLowerInvariant(), k.Value.Selector.ToLowerInvariant())).Where(g => g.Count() > 1))
        {
            failures.Add($"{string.Join(" and ", twin.Select(k => $"{DkimOptions.SectionName}:{k.Key}"))} both sign {twin.Key.Item1} with selector " +
                         $"{twin.Key.Item2}; give each key its own selector.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string? Unparsable(string secretName)
    {
        string pem;
        try
        {
            // The configuration store answers synchronously; nothing waits on I/O here.
            pem = secrets.GetSecretAsync(secretName, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (SecretNotFoundException e)
        {
            return e.Message;
        }

        try
        {
            DkimPrivateKey.Parse(pem);
            return null;
        }
        catch (FormatException e)
        {
            return $"the secret '{secretName}' is not a usable DKIM key: {e.Message}.";
        }
    }
}
