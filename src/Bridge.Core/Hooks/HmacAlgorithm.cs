using System.Security.Cryptography;

namespace Bridge.Core.Hooks;

/// <summary>The hash functions a signing platform may use with HMAC.</summary>
public enum HmacAlgorithm
{
    Sha1,
    Sha256,
    Sha512,
}

/// <summary>Computes and names <see cref="HmacAlgorithm"/>s.</summary>
public static class HmacAlgorithms
{
    public static byte[] Compute(this HmacAlgorithm algorithm, byte[] key, ReadOnlySpan<byte> data) => algorithm switch
    {
#pragma warning disable CA5350 // Platforms that still sign webhooks with HMAC-SHA1 choose it, not Bridge; as a MAC it is not broken.
        HmacAlgorithm.Sha1 => HMACSHA1.HashData(key, data),
#pragma warning restore CA5350
        HmacAlgorithm.Sha512 => HMACSHA512.HashData(key, data),
        _ => HMACSHA256.HashData(key, data),
    };

    /// <summary>sha1, sha256 or sha512; empty means sha256.</summary>
    public static bool TryParse(string? text, out HmacAlgorithm algorithm)
    {
        (var known, algorithm) = text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sha256" => (true, HmacAlgorithm.Sha256),
            "sha1" => (true, HmacAlgorithm.Sha1),
            "sha512" => (true, HmacAlgorithm.Sha512),
            _ => (false, HmacAlgorithm.Sha256),
        };
        return known;
    }
}
