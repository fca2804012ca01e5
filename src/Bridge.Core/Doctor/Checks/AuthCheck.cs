using Bridge.Core.Delivery;
using Bridge.Core.Delivery.OAuth;
using AuthenticationException = MailKit.Security.AuthenticationException;

namespace Bridge.Core.Doctor.Checks;

/// <summary>
/// The login, with the credential and mechanism delivery would use (<see cref="SmtpLogin"/>). The
/// password or token is read past every cache, and scrubbed from the transcript.
/// </summary>
internal sealed class AuthCheck : IDiagnosisCheck
{
    public async Task<bool> RunAsync(DiagnosisSession session)
    {
        var profile = session.Profile;
        var target = session.Target;
        var client = session.Client;
        if (string.IsNullOrEmpty(profile.Username))
        {
            return session.Skip(DiagnosisStep.Auth, "No Username in the profile: mail is sent without logging in.");
        }

        var started = session.Now;
        var offered = client.AuthenticationMechanisms.ToList();
        var details = new List<string> { "Offered: " + (offered.Count == 0 ? "none" : string.Join(", ", offered)) };
        if (!SmtpLogin.MaySendCredential(client, profile))
        {
            return session.Fail(DiagnosisStep.Auth, started, "Not attempted: the connection is not encrypted, so the password would travel in plain text.",
                SmtpFailureClassifier.Classify(new InsecureAuthRefusedException(target.Describe()), profile, SmtpPhase.Authenticate)?.Hint, details);
        }

        if (offered.Count == 0)
        {
            return session.Fail(DiagnosisStep.Auth, started, "The server offers no AUTH mechanism on this connection.",
                DoctorFixes.NoAuthMechanism(client.IsSecure), details);
        }

        if (profile.OAuth is { } oauth && target.Password is null)
        {
            return await AuthenticateWithTokenAsync(session, oauth, started, details).ConfigureAwait(false);
        }

        if (target.Password is null && string.IsNullOrEmpty(profile.PasswordSecret))
        {
            return session.Fail(DiagnosisStep.Auth, started, "The profile has a Username but no PasswordSecret.",
                "Set PasswordSecret to the name of the secret that holds the password.", details);
        }

        SmtpCredential credential;
        try
        {
            credential = target.Password is { } given
                ? new SmtpCredential(profile.Username, given, IsAccessToken: false)
                : await session.Login.ReadCredentialAsync(ProfileName(target), profile, fresh: true, session.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!session.CancellationToken.IsCancellationRequested)
        {
            // Any store failure (missing secret, no access, no sign-in, no network) is a finding to report, not a crash.
            return session.Fail(DiagnosisStep.Auth, started, $"Could not read the password: {ErrorText.FirstLine(e.Message)}",
                SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Authenticate)?.Hint ?? DoctorFixes.UnreadableSecret(profile.PasswordSecret), details);
        }

        var password = credential.Secret;
        session.SecretForms.AddRange(DoctorTranscript.FormsOf(profile.Username, password));
        var mechanism = SmtpLogin.ChooseMechanism(client, credential);
        using var deadline = session.Deadline();
        try
        {
            await SmtpLogin.AuthenticateAsync(client, credential, deadline.Token).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            var failure = SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Authenticate);
            var reply = failure?.Reply is { } r ? $"{r.Code} {r.Reply}" : ErrorText.FirstLine(e.Message);
            var fix = CredentialHints.Observe(profile.Host, profile.Username, password).Append(failure?.Hint).OfType<string>();
            details.Add("Tried: " + (mechanism ?? "the server's choice"));
            return session.Fail(DiagnosisStep.Auth, started, $"The server refused the login for '{profile.Username}': {reply}", string.Join(" ", fix), details);
        }
        catch (NotSupportedException e)
        {
            return session.Fail(DiagnosisStep.Auth, started, "None of the offered mechanisms is one Bridge can use.",
                SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Authenticate)?.Hint, details);
        }
        catch (Exception e) when (DiagnosisSession.IsSessionFailure(e, deadline))
        {
            return session.Fail(DiagnosisStep.Auth, started, session.Describe(e), DiagnosisSession.FixFor(e, DiagnosisStep.Auth), details);
        }

        return session.Pass(DiagnosisStep.Auth, started, $"Logged in as {profile.Username} with {mechanism ?? "the server's mechanism"}.", details);
    }

    /// <summary>
    /// An OAuth profile: a new token (not the cached one, as a password is read past the cache), then
    /// the login with the mechanism delivery would use.
    /// </summary>
    private static async Task<bool> AuthenticateWithTokenAsync(DiagnosisSession session, OAuthProfile oauth, long started, List<string> details)
    {
        var profile = session.Profile;
        SmtpCredential token;
        try
        {
            token = await session.Login.ReadCredentialAsync(ProfileName(session.Target), profile, fresh: true, session.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!session.CancellationToken.IsCancellationRequested)
        {
            // Any identity failure (wrong tenant or secret, no consent, no managed identity here) is a finding, not a crash.
            return session.Fail(DiagnosisStep.Auth, started, $"Could not get an OAuth access token for {oauth.Describe()}: {ErrorText.FirstLine(e.Message)}",
                SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Authenticate)?.Hint ?? OAuthFailureHints.TokenUnavailable(profile), details);
        }

        session.SecretForms.AddRange(OAuthLogin.FormsOf(token.Username, token.Secret));
        var mechanism = SmtpLogin.ChooseMechanism(session.Client, token);
        details.Add("Tried: " + (mechanism ?? "none (no OAuth mechanism offered)"));
        using var deadline = session.Deadline();
        try
        {
            await SmtpLogin.AuthenticateAsync(session.Client, token, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or OAuthNotOfferedException)
        {
            var failure = SmtpFailureClassifier.Classify(e, profile, SmtpPhase.Authenticate);
            var reply = failure?.Reply is { } r ? $"{r.Code} {r.Reply}" : ErrorText.FirstLine(e.Message);
            return session.Fail(DiagnosisStep.Auth, started, e is OAuthNotOfferedException
                ? ErrorText.FirstLine(e.Message)
                : $"The server refused the OAuth access token for '{profile.Username}': {reply}", failure?.Hint, details);
        }
        catch (Exception e) when (DiagnosisSession.IsSessionFailure(e, deadline))
        {
            return session.Fail(DiagnosisStep.Auth, started, session.Describe(e), DiagnosisSession.FixFor(e, DiagnosisStep.Auth), details);
        }

        return session.Pass(DiagnosisStep.Auth, started,
            $"Logged in as {profile.Username} with {mechanism} (an OAuth access token for {oauth.Describe()}).", details);
    }

    private static string ProfileName(DiagnosisTarget target) => target.ProfileName ?? target.Describe();
}
