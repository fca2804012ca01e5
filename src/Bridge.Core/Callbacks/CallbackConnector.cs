using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Callbacks;

/// <summary>
/// Opens the connection for a callback: resolves the host itself, checks every address it resolves to, and connects to
/// those checked addresses, so a DNS answer that changes between a check and a connect (DNS rebinding) cannot slip a
/// private address through. Runs for each new connection of the callback client, never through a proxy.
/// </summary>
public sealed class CallbackConnector(IOptions<CallbackOptions> options)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        if (!options.Value.AllowPrivateNetworks && addresses.FirstOrDefault(PrivateNetworks.Contains) is { } refused)
        {
            throw new CallbackDestinationRefusedException(
                $"{context.DnsEndPoint.Host} resolves to {refused}, a private, loopback or link-local address; " +
                $"callbacks may reach such addresses only when {CallbackOptions.SectionName}:AllowPrivateNetworks is set");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var bare = host.TrimStart('[').TrimEnd(']');
        return IPAddress.TryParse(bare, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(bare, cancellationToken).ConfigureAwait(false);
    }
}
