using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace PkiProtocolServer.Acme.RateLimits;

/// <summary>
/// The client address a per-IP limit counts: the connection's remote address (after the host's forwarded-headers
/// handling, if it has any), an IPv4-mapped IPv6 address as IPv4, and an IPv6 address as its /64, since one host
/// commonly holds a whole /64.
/// </summary>
public static class ClientNetwork
{
    /// <summary>The address of the request's client, or null when the transport has none (in-memory tests).</summary>
    public static IPAddress? AddressOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        return address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
    }

    /// <summary>The counting key of an address: IPv4 as is, IPv6 as its /64 network.</summary>
    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>A single address as a network of one (<c>/32</c> or <c>/128</c>), for <see cref="IPNetwork.TryParse(string, out IPNetwork)"/>.</summary>
    public static string AsHostNetwork(string address) =>
        IPAddress.TryParse(address, out var parsed) ? $"{parsed}/{(parsed.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32)}" : address;

    /// <summary>Whether <paramref name="address"/> is in the override's network (an address or CIDR).</summary>
    public static bool Contains(string network, IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var text = network.Contains('/', StringComparison.Ordinal) ? network : AsHostNetwork(network);
        return IPNetwork.TryParse(text, out var parsed) && parsed.Contains(address);
    }
}
