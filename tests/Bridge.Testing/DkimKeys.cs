using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;

namespace Bridge.Testing;

/// <summary>
/// Fresh DKIM keys as PEM, with their DNS records computed apart from the code under test: .NET's own
/// SubjectPublicKeyInfo for RSA, BouncyCastle's raw public key for Ed25519.
/// </summary>
public sealed record DkimKeys(string Pem, string Record)
{
    public static DkimKeys RsaPkcs8(int bits = 2048)
    {
        using var rsa = RSA.Create(bits);
        return new(rsa.ExportPkcs8PrivateKeyPem(), RsaRecord(rsa));
    }

    /// <summary>PKCS#1 (<c>BEGIN RSA PRIVATE KEY</c>), what opendkim-genkey writes.</summary>
    public static DkimKeys RsaPkcs1()
    {
        using var rsa = RSA.Create(2048);
        return new(rsa.ExportRSAPrivateKeyPem(), RsaRecord(rsa));
    }

    public static DkimKeys Ed25519()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        using var text = new StringWriter();
        var writer = new PemWriter(text);
        writer.WriteObject(new Org.BouncyCastle.OpenSsl.Pkcs8Generator(pair.Private));
        writer.Writer.Flush();
        return new(text.ToString(), "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(((Ed25519PublicKeyParameters)pair.Public).GetEncoded()));
    }

    private static string RsaRecord(RSA rsa) => "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
}
