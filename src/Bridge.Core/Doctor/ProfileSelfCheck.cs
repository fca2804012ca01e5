using Bridge.Core.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Doctor;

/// <summary>
/// At start, warns once per profile that is plainly wrong on paper (<see cref="ProfileLint"/>): port 25,
/// a known port with the other TLS mode, spaces around the username. It reads no secret and opens no
/// connection, so start costs nothing; a password with stray spaces is pointed out when a login with
/// it fails (<see cref="SmtpConnectionPool"/>).
/// </summary>
public sealed class ProfileSelfCheck(IOptions<SmtpOptions> smtp, ILogger<ProfileSelfCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var warning in smtp.Value.Profiles.SelectMany(p => ProfileLint.Check(p.Key, p.Value)))
        {
            ProfileLint.Log(logger, warning);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
