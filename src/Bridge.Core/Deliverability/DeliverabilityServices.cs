using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Deliverability;

/// <summary>DKIM signing and the doctor's DNS checks, registered in one place.</summary>
public static class DeliverabilityServices
{
    public static IServiceCollection AddDeliverability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DkimOptions>().Configure(o => configuration.GetSection(DkimOptions.SectionName).Bind(o.Keys)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DkimOptions>, DkimOptionsValidator>();
        services.AddSingleton<DkimSigning>();
        services.AddOptions<DnsOptions>().BindConfiguration(DnsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DnsOptions>, DnsOptionsValidator>();
        services.AddSingleton<DeliverabilityDns>();
        services.AddSingleton<DnsDiagnosis>();
        return services;
    }
}
