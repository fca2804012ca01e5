using System.Security.Authentication;
using MailKit.Net.Smtp;

namespace Bridge.Core.Doctor;

/// <summary>What a connected client learnt, in the words servers use (EHLO keywords, TLS versions).</summary>
internal static class SmtpCapabilityNames
{
    public static IReadOnlyList<string> Of(SmtpClient client)
    {
        var names = new List<string>();
        foreach (var capability in Enum.GetValues<SmtpCapabilities>())
        {
            if (capability == SmtpCapabilities.None || !client.Capabilities.HasFlag(capability))
            {
                continue;
            }

            names.Add(capability switch
            {
                SmtpCapabilities.Size => client.MaxSize > 0 ? $"SIZE {client.MaxSize}" : "SIZE",
                SmtpCapabilities.Authentication => "AUTH " + string.Join(' ', client.AuthenticationMechanisms),
                SmtpCapabilities.EightBitMime => "8BITMIME",
                SmtpCapabilities.BinaryMime => "BINARYMIME",
                SmtpCapabilities.StartTLS => "STARTTLS",
                SmtpCapabilities.UTF8 => "SMTPUTF8",
                SmtpCapabilities.EnhancedStatusCodes => "ENHANCEDSTATUSCODES",
                _ => capability.ToString().ToUpperInvariant(),
            });
        }

        return names;
    }

    public static string Protocol(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
        SslProtocols.None => "TLS",
        _ => protocol.ToString(),
    };
}
