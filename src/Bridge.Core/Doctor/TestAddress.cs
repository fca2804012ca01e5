using Bridge.Core.Delivery;
using MimeKit;

namespace Bridge.Core.Doctor;

/// <summary>The addresses a diagnosis sends MAIL FROM and RCPT TO with: plain addresses, nothing that could smuggle a command.</summary>
public static class TestAddress
{
    private static readonly ParserOptions Strict = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
    };

    /// <summary>True for a bare address like <c>ann@example.org</c> (a display name is dropped).</summary>
    public static bool TryParse(string? text, out string address)
    {
        address = "";
        if (string.IsNullOrWhiteSpace(text) || !MailboxAddress.TryParse(Strict, text.Trim(), out var mailbox))
        {
            return false;
        }

        var candidate = mailbox.Address;
        if (candidate.IndexOf('@', StringComparison.Ordinal) is <= 0 || candidate.EndsWith('@')
            || candidate.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>'))
        {
            return false;
        }

        address = candidate;
        return true;
    }

    /// <summary>The sender to test with when none is given: the profile's first allowed address, else its username if that is an address.</summary>
    public static string? DefaultSender(SmtpProfile profile)
    {
        foreach (var entry in profile.AllowedFromList.Where(e => !e.StartsWith('@')))
        {
            if (TryParse(entry, out var address))
            {
                return address;
            }
        }

        return TryParse(profile.Username, out var username) ? username : null;
    }
}
