using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace Bridge.Core.Deliverability;

/// <summary>
/// A DKIM private key read from PEM (RSA as PKCS#1 or PKCS#8, or Ed25519 as PKCS#8), with the public
/// key record it needs in DNS.
/// </summary>
public sealed class DkimPrivateKey
{
    /// <summary>RFC 8301: verifiers must not accept RSA keys under 1024 bits.</summary>
    public const int MinimumRsaBits = 1024;

    private DkimPrivateKey(AsymmetricKeyParameter key, DkimSignatureAlgorithm algorithm, string publicKey)
    {
        Key = key;
        Algorithm = algorithm;
        PublicKey = publicKey;
    }

    public AsymmetricKeyParameter Key { get; }

    public DkimSignatureAlgorithm Algorithm { get; }

    /// <summary>The record's <c>p=</c>: base64 of the DER public key for RSA, of the raw 32 bytes for Ed25519 (RFC 8463).</summary>
    public string PublicKey { get; }

    /// <summary>The record's <c>k=</c>.</summary>
    public string KeyType => Algorithm == DkimSignatureAlgorithm.Ed25519Sha256 ? "ed25519" : "rsa";

    /// <summary>The TXT record to publish at the selector's name.</summary>
    public string RecordValue => $"v=DKIM1; k={KeyType}; p={PublicKey}";

    /// <summary>Reads a PEM private key; throws <see cref="FormatException"/> saying what is wrong with it.</summary>
    public static DkimPrivateKey Parse(string pem)
    {
        object? read;
        try
        {
            read = new PemReader(new StringReader(pem.Trim())).ReadObject();
        }
        catch (Exception e) when (e is IOException or PemException or ArgumentException or InvalidOperationException or InvalidCastException)
        {
            throw new FormatException($"it is not a readable PEM private key ({ErrorText.FirstLine(e.Message)}); an encrypted key must be decrypted first");
        }

        var key = read switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } single => single,
            AsymmetricKeyParameter => throw new FormatException("it is a public key; the secret must hold the private key"),
            null => throw new FormatException("it holds no PEM block (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)"),
            _ => throw new FormatException($"it holds a PEM {read.GetType().Name}, not a private key"),
        };

        return key switch
        {
            RsaPrivateCrtKeyParameters rsa when rsa.Modulus.BitLength < MinimumRsaBits =>
                throw new FormatException($"the RSA key has {rsa.Modulus.BitLength} bits; receivers ignore DKIM keys under {MinimumRsaBits} bits (use 2048)"),
            RsaPrivateCrtKeyParameters rsa => new DkimPrivateKey(rsa, DkimSignatureAlgorithm.RsaSha256, Convert.ToBase64String(
                SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent)).GetDerEncoded())),
            Ed25519PrivateKeyParameters ed => new DkimPrivateKey(ed, DkimSignatureAlgorithm.Ed25519Sha256,
                Convert.ToBase64String(ed.GeneratePublicKey().GetEncoded())),
            _ => throw new FormatException($"it is a {key.GetType().Name.Replace("PrivateKeyParameters", "")} key; DKIM signs with RSA or Ed25519"),
        };
    }
}
