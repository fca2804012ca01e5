using System.Security.Cryptography;
using System.Text;

namespace Bridge.Core.Hooks;

/// <summary>
/// For senders that cannot sign (form builders, simple notifiers): the secret itself, in a header or in the
/// query string. Weaker than a signature (it does not cover the body, and a query string may be logged on the way).
/// </summary>
public sealed class SharedTokenVerifier(string? header, string? queryParameter) : HookVerifier
{
    public override string? Verify(HookDelivery delivery, string secret, DateTimeOffset now)
    {
        var presented = header is not null ? delivery.Header(header) : delivery.QueryValue(queryParameter!);
        if (presented is null)
        {
            return header is not null ? Missing(header) : $"the '{queryParameter}' query parameter is missing";
        }

        // Hashing both first makes the comparison take the same time whatever the presented token's length.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)))
            ? null
            : $"the token in the {(header is not null ? header + " header" : $"'{queryParameter}' query parameter")} is wrong";
    }
}
