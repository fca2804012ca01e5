namespace Bridge.Core.Hooks;

/// <summary>
/// Checks that a delivery comes from the platform, over the raw body and before anything parses it.
/// Implementations compare in constant time and never put a secret or a computed signature in a refusal.
/// </summary>
public abstract class HookVerifier
{
    /// <summary>Null when the delivery is authentic; otherwise why it is refused (names headers, never secrets).</summary>
    /// <exception cref="UnusableSecretException">The secret is not in the form the scheme needs.</exception>
    public abstract string? Verify(HookDelivery delivery, string secret, DateTimeOffset now);

    /// <summary>The bytes "<paramref name="prefix"/>." followed by the body: what timestamped schemes sign.</summary>
    protected static byte[] Prefixed(string prefix, byte[] body)
    {
        var head = System.Text.Encoding.UTF8.GetBytes(prefix + ".");
        var signed = new byte[head.Length + body.Length];
        head.CopyTo(signed, 0);
        body.CopyTo(signed, head.Length);
        return signed;
    }

    protected static string Missing(string header) => $"the {header} header is missing";
}
