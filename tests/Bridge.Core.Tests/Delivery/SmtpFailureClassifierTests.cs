using System.Net.Sockets;
using Bridge.Core.Delivery;
using Bridge.Core.Events;
using Bridge.Core.Secrets;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Bridge.Core.Tests.Delivery;

public sealed class SmtpFailureClassifierTests
{
    private static readonly SmtpProfile StartTls587 = new() { Host = "smtp.example.org", Port = 587, Security = SmtpSecurity.StartTls };

    private static SmtpCommandException Command(int code, SmtpErrorCode error = SmtpErrorCode.MessageNotAccepted) =>
        new(error, (SmtpStatusCode)code, "server says " + code);

    [Theory]
    [InlineData(421)]
    [InlineData(450)]
    [InlineData(451)]
    [InlineData(452)]
    [InlineData(454)]
    public void Four_hundreds_are_transient(int code)
    {
        var failure = SmtpFailureClassifier.Classify(Command(code), StartTls587, SmtpPhase.Send);

        Assert.Equal(FailureKind.Transient, failure!.Kind);
        Assert.Equal(code, failure.Reply!.Code);
    }

    [Theory]
    [InlineData(550)]
    [InlineData(552)]
    [InlineData(553)]
    [InlineData(554)]
    public void Five_hundreds_are_permanent(int code) =>
        Assert.Equal(FailureKind.Permanent, SmtpFailureClassifier.Classify(Command(code), StartTls587, SmtpPhase.Send)!.Kind);

    [Fact]
    public void Authentication_failure_is_credentials_with_a_hint_and_the_reply_code()
    {
        var failure = SmtpFailureClassifier.Classify(
            new AuthenticationException("535: 5.7.8 Error: authentication failed"), StartTls587, SmtpPhase.Authenticate)!;

        Assert.Equal(FailureKind.Credentials, failure.Kind);
        Assert.Equal(new SmtpReply(535, "5.7.8 Error: authentication failed"), failure.Reply);
        Assert.Contains("app password", failure.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_535_is_credentials_too() =>
        Assert.Equal(FailureKind.Credentials, SmtpFailureClassifier.Classify(Command(535), StartTls587, SmtpPhase.Authenticate)!.Kind);

    [Theory]
    [InlineData(SocketError.ConnectionRefused)]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.TimedOut)]
    public void Network_failures_are_transient(SocketError error) =>
        Assert.Equal(FailureKind.Transient, SmtpFailureClassifier.Classify(new SocketException((int)error), StartTls587, SmtpPhase.Connect)!.Kind);

    [Fact]
    public void Dropped_connection_mid_send_is_transient() =>
        Assert.Equal(FailureKind.Transient,
            SmtpFailureClassifier.Classify(new SmtpProtocolException("The SMTP server has unexpectedly disconnected."), StartTls587, SmtpPhase.Send)!.Kind);

    [Fact]
    public void StartTls_on_port_465_is_a_configuration_error_that_names_the_fix()
    {
        var profile = new SmtpProfile { Host = "smtp.example.org", Port = 465, Security = SmtpSecurity.StartTls };

        var failure = SmtpFailureClassifier.Classify(new IOException("timed out"), profile, SmtpPhase.Connect)!;

        Assert.Equal(FailureKind.Configuration, failure.Kind);
        Assert.Contains("Port 465 expects SslOnConnect", failure.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Implicit_tls_on_port_587_is_a_configuration_error_that_names_the_fix()
    {
        var profile = new SmtpProfile { Host = "smtp.example.org", Port = 587, Security = SmtpSecurity.SslOnConnect };

        var failure = SmtpFailureClassifier.Classify(new SslHandshakeException("handshake failed"), profile, SmtpPhase.Connect)!;

        Assert.Equal(FailureKind.Configuration, failure.Kind);
        Assert.Contains("expects StartTls", failure.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Untrusted_certificate_is_a_configuration_error()
    {
        var failure = SmtpFailureClassifier.Classify(new SslHandshakeException("certificate invalid"), StartTls587, SmtpPhase.Connect)!;

        Assert.Equal(FailureKind.Configuration, failure.Kind);
        Assert.Contains("TrustedCertificateThumbprint", failure.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_starttls_is_a_configuration_error() =>
        Assert.Equal(FailureKind.Configuration,
            SmtpFailureClassifier.Classify(new NotSupportedException("The SMTP server does not support the STARTTLS extension."), StartTls587, SmtpPhase.Connect)!.Kind);

    [Fact]
    public void Missing_secret_is_a_configuration_error_naming_the_secret() =>
        Assert.Contains("SmtpPassword",
            SmtpFailureClassifier.Classify(new SecretNotFoundException("SmtpPassword", "Key Vault"), StartTls587, SmtpPhase.Authenticate)!.Describe(),
            StringComparison.Ordinal);

    [Fact]
    public void All_recipients_refused_permanently_is_permanent_and_temporarily_is_transient()
    {
        var permanent = new NoRecipientsAcceptedException([new RejectedRecipient("a@example.org", new SmtpReply(550, "no such user"))]);
        var temporary = new NoRecipientsAcceptedException([new RejectedRecipient("a@example.org", new SmtpReply(450, "mailbox busy"))]);

        Assert.Equal(FailureKind.Permanent, SmtpFailureClassifier.Classify(permanent, StartTls587, SmtpPhase.Send)!.Kind);
        Assert.Equal(FailureKind.Transient, SmtpFailureClassifier.Classify(temporary, StartTls587, SmtpPhase.Send)!.Kind);
    }

    [Fact]
    public void A_bug_is_not_classified_so_the_trigger_retries_it() =>
        Assert.Null(SmtpFailureClassifier.Classify(new NullReferenceException(), StartTls587, SmtpPhase.Send));

    [Fact]
    public void Dropped_connection_quotes_no_earlier_reply()
    {
        var failure = SmtpFailureClassifier.Classify(
            new SmtpProtocolException("The SMTP server has unexpectedly disconnected: 250 2.0.0 Ok: queued as 4Xq1"), StartTls587, SmtpPhase.Send);

        Assert.Equal(FailureKind.Transient, failure!.Kind);
        Assert.Equal("The SMTP server has unexpectedly disconnected.", failure.Detail);
    }
}
