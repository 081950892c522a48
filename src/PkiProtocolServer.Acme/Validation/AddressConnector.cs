using System.Net;
using System.Net.Sockets;
using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>Opens a TCP connection to a name through the validation resolver, trying each address in turn.</summary>
public static class AddressConnector
{
    public static async Task<Socket> ConnectAsync(IAcmeDnsResolver resolver, string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await resolver.ResolveAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new ChallengeFailedException(AcmeErrorType.Connection, $"could not connect to {host} port {port} ({string.Join(", ", addresses)}): {last?.Message}", last);
    }
}
