using System.Net;
using System.Net.Sockets;

namespace Bridge.Core.Callbacks;

/// <summary>
/// Addresses a callback must not reach unless private networks are allowed: loopback, private (RFC 1918, unique
/// local), link-local (which holds the cloud metadata endpoint 169.254.169.254), shared (100.64/10), unspecified,
/// multicast and reserved ranges. An IPv4 address mapped into IPv6 is judged as the IPv4 address it is.
/// </summary>
public static class PrivateNetworks
{
    public static bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetwork ? IsPrivateV4(address.GetAddressBytes()) : IsPrivateV6(address);
    }

    private static bool IsPrivateV4(byte[] b) =>
        b[0] is 0 or 10 or 127 or >= 224                  // this network, private, loopback, multicast and reserved
        || (b[0] == 100 && (b[1] & 0xC0) == 64)            // shared address space (carrier NAT)
        || (b[0] == 169 && b[1] == 254)                     // link-local, cloud metadata
        || (b[0] == 172 && (b[1] & 0xF0) == 16)             // private
        || (b[0] == 192 && b[1] == 168)                     // private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)          // IETF protocol assignments
        || (b[0] == 198 && (b[1] & 0xFE) == 18);            // benchmarking

    private static bool IsPrivateV6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return IPAddress.IsLoopback(address)
            || address.Equals(IPAddress.IPv6Any)
            || address.IsIPv6LinkLocal
            || address.IsIPv6SiteLocal
            || address.IsIPv6UniqueLocal
            || address.IsIPv6Multicast
            // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) carry an IPv4 address: judge that one.
            || (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && IsPrivateV4(b[12..]))
            || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0 && IsPrivateV4(b[12..]));
    }
}
