using Bridge.Core.Delivery;
using Bridge.Core.Secrets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Doctor;

/// <summary>
/// At start, warns once per profile that is plainly wrong (<see cref="ProfileLint"/>): port 25, a
/// known port with the other TLS mode, spaces around the username or the password. It runs in the
/// background, so a slow secret store never delays start, and it logs names, never values.
/// </summary>
public sealed partial class ProfileSelfCheck(IOptions<SmtpOptions> smtp, SecretCache secrets, TimeProvider time, ILogger<ProfileSelfCheck> logger)
    : BackgroundService
{
    private static readonly TimeSpan SecretReadLimit = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Yield first: whatever the host does with ExecuteAsync's synchronous part, start goes on at once.
        await Task.Yield();
        try
        {
            await CheckAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // A self-check that fails must not stop the host (a BackgroundService's exception would).
            LogCheckFailed(logger, e);
        }
    }

    /// <summary>Runs every check once; public so tests (and a future command) can await it.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, profile) in smtp.Value.Profiles)
        {
            foreach (var warning in ProfileLint.Check(name, profile))
            {
                LogWarning(logger, warning.Profile, warning.Rule, warning.Advice);
            }

            if (!string.IsNullOrEmpty(profile.Username) && profile.PasswordSecret is { Length: > 0 } secretName)
            {
                await CheckSecretAsync(name, secretName, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CheckSecretAsync(string profile, string secretName, CancellationToken cancellationToken)
    {
        using var deadline = new StepDeadline(SecretReadLimit, time, cancellationToken);
        try
        {
            var value = await secrets.GetSecretAsync(secretName, deadline.Token).ConfigureAwait(false);
            if (ProfileLint.CheckSecret(profile, secretName, value) is { } warning)
            {
                LogWarning(logger, warning.Profile, warning.Rule, warning.Advice);
            }
        }
        catch (SecretNotFoundException)
        {
            LogWarning(logger, profile, "secret-missing", $"The secret '{secretName}' named by PasswordSecret does not exist in the secret store.");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Key Vault unreachable or no sign-in yet: delivery will report it with context; here it only means "not checked".
            LogSecretNotChecked(logger, profile, secretName, ErrorText.Describe(e));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP profile {Profile} looks wrong ({Rule}): {Advice}")]
    private static partial void LogWarning(ILogger logger, string profile, string rule, string advice);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP profile {Profile}: the secret {SecretName} could not be read to check it ({Error})")]
    private static partial void LogSecretNotChecked(ILogger logger, string profile, string secretName, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SMTP profile self-check stopped early")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
