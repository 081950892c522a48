using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Authentication.ExtendedProtection;
using PkiProtocolServer.Est.ChannelBinding;
using PkiProtocolServer.Est.Tests.Support;

namespace PkiProtocolServer.Est.Tests.ChannelBinding;

public sealed class ChannelBindingTests
{
    [Fact]
    public async Task The_tls_exporter_self_test_passes_on_this_platform()
    {
        Assert.Null(await OpenSslTlsExporter.SelfTest());
    }

    [Fact]
    public async Task Both_ends_of_a_tls_1_3_connection_export_the_same_32_bytes_and_a_tls_1_2_one_exports_nothing()
    {
        await using var tls13 = await Loopback.ConnectAsync(SslProtocols.Tls13);
        var server = OpenSslTlsExporter.Export(tls13.Server);

        Assert.NotNull(server);
        Assert.Equal(32, server.Length);
        Assert.Equal(server, OpenSslTlsExporter.Export(tls13.Client));

        await using var tls12 = await Loopback.ConnectAsync(SslProtocols.Tls12);
        Assert.Null(OpenSslTlsExporter.Export(tls12.Server));
    }

    [Fact]
    public async Task Tls_unique_is_the_12_byte_finished_message_and_both_ends_agree()
    {
        await using var tls12 = await Loopback.ConnectAsync(SslProtocols.Tls12);
        using var serverBinding = tls12.Server.TransportContext!.GetChannelBinding(ChannelBindingKind.Unique)!;
        using var clientBinding = tls12.Client.TransportContext!.GetChannelBinding(ChannelBindingKind.Unique)!;

        var server = TlsChannelBindings.ApplicationData(serverBinding);
        var client = TlsChannelBindings.ApplicationData(clientBinding);

        Assert.NotNull(server);
        Assert.Equal(12, server.Length);
        Assert.Equal(server, client);
    }

    private sealed class Loopback : IAsyncDisposable
    {
        private readonly TcpClient _a;
        private readonly TcpClient _b;

        private Loopback(TcpClient a, TcpClient b)
        {
            _a = a;
            _b = b;
            Server = new SslStream(a.GetStream());
            Client = new SslStream(b.GetStream());
        }

        public SslStream Server { get; }

        public SslStream Client { get; }

        public static async Task<Loopback> ConnectAsync(SslProtocols protocol)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var accept = listener.AcceptTcpClientAsync();
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var pair = new Loopback(await accept, client);
            var certificate = TestCertificates.Leaf(TestCertificates.Root("Loopback CA"), "localhost");
            var serverSide = pair.Server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = protocol });
            await pair.Client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = protocol, RemoteCertificateValidationCallback = (_, _, _, _) => true });
            await serverSide;
            return pair;
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Client.DisposeAsync();
            _a.Dispose();
            _b.Dispose();
        }
    }
}
