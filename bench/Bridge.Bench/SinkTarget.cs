using System.Globalization;

namespace Bridge.Bench;

public static class SinkNames
{
    public const string SmtpSink = "smtp-sink";
    public const string Postfix = "postfix";
}

/// <summary>An SMTP server the benchmark sends to, directly and through Bridge (as the profile of the same name).</summary>
public sealed record SinkTarget(string Name, string Host, int Port, bool StartTls, string? User, string? Password, string? Thumbprint)
{
    /// <summary>The Bridge profile name (letters and digits only, as configuration keys want).</summary>
    public string Profile => Name.Replace("-", "", StringComparison.Ordinal);

    public static SinkTarget Plain(string name, string address)
    {
        var (host, port) = Split(address);
        return new SinkTarget(name, host, port, false, null, null, null);
    }

    public static SinkTarget StartTlsWithAuth(string name, string address, string user, string password, string thumbprint)
    {
        var (host, port) = Split(address);
        return new SinkTarget(name, host, port, true, user, password, thumbprint);
    }

    private static (string Host, int Port) Split(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0 && int.TryParse(address[(colon + 1)..], CultureInfo.InvariantCulture, out var port)
            ? (address[..colon], port)
            : throw new ArgumentException($"'{address}' is not HOST:PORT.");
    }
}
