using System.Globalization;
using Bridge.Core.Auth;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// The settings of a Bridge.Server that a test class runs on its own storage (to kill it, or to take its
/// storage away): one API key that sends and reads, and one STARTTLS + AUTH profile at the test's server.
/// </summary>
internal static class OwnServerSettings
{
    public static Dictionary<string, string> For(Azurite azurite, TestSmtpServer smtp, string apiKey, string smtpPassword) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["Bridge__Queue__Name"] = "outbound-mail",
        ["Bridge__Secrets__SmtpPassword"] = smtpPassword,
        ["Bridge__ApiKeys__app__Sha256"] = ApiKeyAuthenticator.HashKey(apiKey),
        ["Bridge__ApiKeys__app__Scopes"] = "send,read",
        ["Bridge__Smtp__Profiles__default__Host"] = "localhost",
        ["Bridge__Smtp__Profiles__default__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Bridge__Smtp__Profiles__default__Security"] = "StartTls",
        ["Bridge__Smtp__Profiles__default__Username"] = "relay@shop.example",
        ["Bridge__Smtp__Profiles__default__PasswordSecret"] = "SmtpPassword",
        ["Bridge__Smtp__Profiles__default__TrustedCertificateThumbprint"] = smtp.Thumbprint,
        ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.500",
    };
}
