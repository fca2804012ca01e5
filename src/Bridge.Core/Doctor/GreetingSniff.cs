using System.Text;

namespace Bridge.Core.Doctor;

/// <summary>What the first bytes from a server say about it.</summary>
public enum GreetingKind
{
    /// <summary>"220 ...": an SMTP server ready for us.</summary>
    Ready,

    /// <summary>Another SMTP reply code (421, 554, ...): an SMTP server turning us away.</summary>
    Refused,

    /// <summary>A TLS record: the server speaks TLS first (implicit TLS).</summary>
    Tls,

    /// <summary>Anything else: not an SMTP server.</summary>
    NotSmtp,
}

/// <summary>
/// Reads the first bytes a server sends, before any SMTP library interprets them, so a TLS record,
/// an HTTP answer or a refusal is named for what it is rather than reported as a parse error.
/// </summary>
public static class GreetingSniff
{
    public static GreetingKind Classify(ReadOnlySpan<byte> first)
    {
        if (IsTlsRecord(first))
        {
            return GreetingKind.Tls;
        }

        if (first.Length < 4 || !IsReplyCode(first[..3]) || first[3] is not ((byte)' ' or (byte)'-' or (byte)'\r'))
        {
            return GreetingKind.NotSmtp;
        }

        return first.StartsWith("220"u8) ? GreetingKind.Ready : GreetingKind.Refused;
    }

    /// <summary>True while the bytes so far could still become an SMTP reply line (so it is worth waiting for the rest of the line).</summary>
    public static bool CouldBeReply(ReadOnlySpan<byte> first)
    {
        for (var i = 0; i < Math.Min(first.Length, 3); i++)
        {
            if (first[i] is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return first.Length < 4 || first[3] is (byte)' ' or (byte)'-' or (byte)'\r';
    }

    /// <summary>The first line as readable text, or the first bytes in hex when they are binary.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes, int max = 100)
    {
        var end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
        var line = end < 0 ? bytes : bytes[..end];
        if (line.Length > max)
        {
            line = line[..max];
        }

        foreach (var b in line)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return "bytes " + Convert.ToHexString(bytes[..Math.Min(bytes.Length, 16)]);
            }
        }

        return Encoding.ASCII.GetString(line);
    }

    // Content types 20-23 (change cipher spec, alert, handshake, application data) and major version 3.
    private static bool IsTlsRecord(ReadOnlySpan<byte> first) => first.Length >= 2 && first[0] is >= 0x14 and <= 0x17 && first[1] == 0x03;

    private static bool IsReplyCode(ReadOnlySpan<byte> code) =>
        code[0] is >= (byte)'2' and <= (byte)'5' && code[1] is >= (byte)'0' and <= (byte)'9' && code[2] is >= (byte)'0' and <= (byte)'9';
}
