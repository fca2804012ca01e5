using Microsoft.Extensions.Options;

namespace Bridge.Core.Deliverability;

/// <summary>Fails the process at start with the name of the bad key.</summary>
public sealed class DnsOptionsValidator : IValidateOptions<DnsOptions>
{
    public ValidateOptionsResult Validate(string? name, DnsOptions options)
    {
        var failures = new List<string>();
        if (options.ServerEndpoints() is null)
        {
            failures.Add($"{DnsOptions.SectionName}:Servers must be comma-separated ip[:port] entries such as 10.0.0.2,1.1.1.1:53 (it is '{options.Servers}').");
        }

        if (options.BlocklistZones.FirstOrDefault(z => Uri.CheckHostName(z) != UriHostNameType.Dns) is { } zone)
        {
            failures.Add($"{DnsOptions.SectionName}:Blocklists entry '{zone}' is not a DNS zone such as zen.spamhaus.org.");
        }

        if (options.TimeoutSeconds is < 1 or > 30)
        {
            failures.Add($"{DnsOptions.SectionName}:TimeoutSeconds must be between 1 and 30.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
