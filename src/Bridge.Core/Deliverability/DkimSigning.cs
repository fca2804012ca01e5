using System.Collections.Concurrent;
using Bridge.Core.Secrets;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace Bridge.Core.Deliverability;

/// <summary>
/// Signs outgoing mail whose From domain has a key in <c>Bridge:Dkim</c>, right before it goes to the
/// upstream, when every header is final. Keys come through the secret cache, so a rotated key is used once
/// the cache entry expires; a parsed signer is reused for as long as its PEM text is unchanged.
/// </summary>
public sealed class DkimSigning(IOptions<DkimOptions> options, SecretCache secrets)
{
    /// <summary>The contract's list. MimeKit finds Content-Type on the body's headers; headers a message lacks are left out.</summary>
    public static readonly IReadOnlyList<string> SignedHeaders =
        ["From", "To", "Cc", "Subject", "Date", "Message-ID", "Reply-To", "MIME-Version", "Content-Type"];

    private readonly ConcurrentDictionary<string, (string Pem, DkimSigner Signer)> signers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Signs <paramref name="message"/> in place; returns why it could not (a configuration failure), or null.</summary>
    public async Task<DkimUnusable?> SignAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var keys = options.Value.For(message.From.Mailboxes.FirstOrDefault()?.Domain);
        if (keys.Count == 0)
        {
            return null;
        }

        // The upstream may not take 8-bit or binary parts; MailKit would re-encode them after signing and break
        // the body hash, so the encoding is settled first.
        message.Prepare(EncodingConstraint.SevenBit);
        foreach (var (name, entry) in keys)
        {
            DkimSigner signer;
            try
            {
                signer = await SignerAsync(name, entry, cancellationToken).ConfigureAwait(false);
            }
            catch (SecretNotFoundException e)
            {
                return Unusable(name, e.Message);
            }
            catch (FormatException e)
            {
                return Unusable(name, $"The secret '{entry.PrivateKeySecret}' is not a usable DKIM key: {e.Message}.");
            }

            RemoveEarlierSignature(message, entry);
            signer.Sign(FormatOptions.Default, message, SignedHeaders.ToList());
        }

        return null;
    }

    /// <summary>The parsed key of one entry (for the doctor, which compares it with the published record).</summary>
    public async Task<DkimPrivateKey> KeyAsync(DkimDomain entry, CancellationToken cancellationToken) =>
        DkimPrivateKey.Parse(await secrets.GetSecretAsync(entry.PrivateKeySecret, cancellationToken).ConfigureAwait(false));

    private async Task<DkimSigner> SignerAsync(string name, DkimDomain entry, CancellationToken cancellationToken)
    {
        var pem = await secrets.GetSecretAsync(entry.PrivateKeySecret, cancellationToken).ConfigureAwait(false);
        if (signers.TryGetValue(name, out var known) && string.Equals(known.Pem, pem, StringComparison.Ordinal))
        {
            return known.Signer;
        }

        var key = DkimPrivateKey.Parse(pem);
        var signer = new DkimSigner(key.Key, entry.Domain.TrimEnd('.'), entry.Selector, key.Algorithm)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signers[name] = (pem, signer);
        return signer;
    }

    /// <summary>A message sent again (a retry on the same copy, a failover) carries this key's old signature: replace it, never stack it.</summary>
    private static void RemoveEarlierSignature(MimeMessage message, DkimDomain entry)
    {
        var earlier = message.Headers
            .Where(h => h.Id == HeaderId.DkimSignature && Tag(h.Value, "d") is { } d && Tag(h.Value, "s") is { } s
                        && string.Equals(d, entry.Domain.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)
                        && string.Equals(s, entry.Selector, StringComparison.OrdinalIgnoreCase))
            .ToList();
        foreach (var header in earlier)
        {
            message.Headers.Remove(header);
        }
    }

    private static string? Tag(string value, string tag) => DkimTags.Parse(value).GetValueOrDefault(tag);

    private static DkimUnusable Unusable(string name, string detail) => new(
        $"DKIM key {DkimOptions.SectionName}:{name} cannot sign: {detail}",
        $"Store the PEM private key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048) in the secret named by " +
        $"{DkimOptions.SectionName}:{name}:PrivateKeySecret, or remove {DkimOptions.SectionName}:{name} to send unsigned.");
}
