using PkiProtocolServer.Acme.RateLimits;

namespace PkiProtocolServer.Acme.Tests.Limits;

/// <summary>Which address a per-IP limit counts, and which overrides match it.</summary>
public sealed class ClientNetworkTests
{
    [Fact]
    public void IPv6_clients_count_per_64_and_IPv4_per_address()
    {
        Assert.Equal(ClientNetwork.KeyOf(IPAddress.Parse("2001:db8:1:2:aaaa::1")), ClientNetwork.KeyOf(IPAddress.Parse("2001:db8:1:2:bbbb::9")));
        Assert.NotEqual(ClientNetwork.KeyOf(IPAddress.Parse("2001:db8:1:2::1")), ClientNetwork.KeyOf(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("192.0.2.7", ClientNetwork.KeyOf(IPAddress.Parse("192.0.2.7")));
    }

    [Fact]
    public void An_override_network_matches_addresses_in_it_and_a_bare_address_only_itself()
    {
        Assert.True(ClientNetwork.Contains("10.0.0.0/8", IPAddress.Parse("10.1.2.3")));
        Assert.False(ClientNetwork.Contains("10.0.0.0/8", IPAddress.Parse("11.0.0.1")));
        Assert.True(ClientNetwork.Contains("192.0.2.7", IPAddress.Parse("192.0.2.7")));
        Assert.False(ClientNetwork.Contains("192.0.2.7", IPAddress.Parse("192.0.2.8")));
        Assert.False(ClientNetwork.Contains("10.0.0.0/8", null));
    }
}
