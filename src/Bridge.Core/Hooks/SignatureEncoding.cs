using System.Security.Cryptography;

namespace Bridge.Core.Hooks;

/// <summary>How a platform writes a signature's bytes into a header.</summary>
public enum SignatureEncoding
{
    Hex,
    Base64,
}

/// <summary>Reads presented signatures and compares them in constant time.</summary>
public static class SignatureEncodings
{
    /// <summary>
    /// True when <paramref name="presented"/> decodes to exactly <paramref name="expected"/>. The bytes are compared, not
    /// the text, so hex case does not matter; the comparison takes the same time wherever the first difference is.
    /// </summary>
    public static bool Matches(this SignatureEncoding encoding, ReadOnlySpan<byte> expected, string presented)
    {
        byte[] decoded;
        try
        {
            decoded = encoding == SignatureEncoding.Hex ? Convert.FromHexString(presented) : Convert.FromBase64String(presented);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, decoded);
    }

    /// <summary>hex or base64; empty means hex.</summary>
    public static bool TryParse(string? text, out SignatureEncoding encoding)
    {
        (var known, encoding) = text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "hex" => (true, SignatureEncoding.Hex),
            "base64" => (true, SignatureEncoding.Base64),
            _ => (false, SignatureEncoding.Hex),
        };
        return known;
    }
}
