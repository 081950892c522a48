using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Authentication.ExtendedProtection;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PkiProtocolServer.Est.ChannelBinding;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Tests.Est;

/// <summary>
/// EST over the real HTTPS listener (Kestrel): client certificates in the TLS handshake, and RFC 7030 3.5 channel
/// binding with tls-unique (TLS 1.2) and tls-exporter (TLS 1.3).
/// </summary>
public sealed class EstTlsTests : IAsyncLifetime
{
    private readonly PkiServerFactory _server = new PkiServerFactory().Configure();
    private int _port;

    public Task InitializeAsync()
    {
        _port = FreePort();
        _server.Settings["Pki:HttpsPort"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _server.Settings["Pki:HttpPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _server.Settings["Pki:Est:Default:RequireChannelBinding"] = "false";
        _server.Settings["Pki:Est:Labels:bound:Role"] = "est-device";
        _server.Settings["Pki:Est:Labels:bound:RequireChannelBinding"] = "true";
        _server.Settings["Pki:Est:Labels:bound:Authentication"] = "Certificate";
        _server.UseKestrel();
        _server.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private X509Certificate2 Root => X509Certificate2.CreateFromPem(File.ReadAllText(_server.DataPath("root-ca.pem")));

    [Fact]
    public async Task A_device_re_enrolls_over_mutual_tls_with_the_certificate_it_got_by_password()
    {
        using var device = new DeviceKey();
        var first = await SendAsync(SslProtocols.Tls13, null, "/.well-known/est/simpleenroll", device.Csr("CN=mtls-device"), EstCalls.DefaultUser);
        using var clientCertificate = device.WithKey(first.Certificate());
        using var next = new DeviceKey();

        var renewed = await SendAsync(SslProtocols.Tls13, clientCertificate, "/.well-known/est/simplereenroll", next.Csr("CN=mtls-device"));

        Assert.Equal("CN=mtls-device", renewed.Certificate().Subject);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12, ChannelBindingValue.TlsUnique)]
    [InlineData(SslProtocols.Tls13, ChannelBindingValue.TlsExporter)]
    public async Task A_csr_carrying_this_sessions_channel_binding_is_accepted(SslProtocols protocol, string kind)
    {
        using var clientCertificate = await EnrolledCertificate("bound-" + kind);
        using var next = new DeviceKey();

        var response = await SendAsync(protocol, clientCertificate, "/.well-known/est/bound/simplereenroll",
            binding => next.Csr("CN=bound-" + kind, challengePassword: Convert.ToBase64String(binding)));

        Assert.Equal("CN=bound-" + kind, response.Certificate().Subject);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task A_csr_made_for_another_session_is_403(SslProtocols protocol)
    {
        using var clientCertificate = await EnrolledCertificate("relayed-" + protocol);
        using var next = new DeviceKey();
        byte[]? earlier = null;
        await SendAsync(protocol, clientCertificate, "/.well-known/est/cacerts", binding =>
        {
            earlier = binding;
            return null;
        }, method: "GET");

        var response = await SendAsync(protocol, clientCertificate, "/.well-known/est/bound/simplereenroll",
            _ => next.Csr("CN=relayed-" + protocol, challengePassword: Convert.ToBase64String(earlier!)));

        Assert.Contains("channel binding", response.Problem(403, "forbidden")["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_csr_without_a_challenge_password_on_a_binding_label_is_403_and_says_what_to_put_there()
    {
        using var clientCertificate = await EnrolledCertificate("unbound");
        using var next = new DeviceKey();

        var response = await SendAsync(SslProtocols.Tls12, clientCertificate, "/.well-known/est/bound/simplereenroll", next.Csr("CN=unbound"));

        Assert.Contains("tls-unique", response.Problem(403, "forbidden")["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Clients_without_a_certificate_still_use_the_https_listener()
    {
        var response = await SendAsync(SslProtocols.Tls13, null, "/.well-known/est/cacerts", (byte[]?)null, method: "GET");

        Assert.Equal(2, response.Certificates().Count);
    }

    private async Task<X509Certificate2> EnrolledCertificate(string commonName)
    {
        using var device = new DeviceKey();
        var response = await SendAsync(SslProtocols.Tls13, null, "/.well-known/est/simpleenroll", device.Csr("CN=" + commonName), EstCalls.DefaultUser);
        return device.WithKey(response.Certificate());
    }

    private Task<EstResponse> SendAsync(SslProtocols protocol, X509Certificate2? clientCertificate, string path, byte[]? csr, (string, string)? basic = null, string method = "POST") =>
        SendAsync(protocol, clientCertificate, path, _ => csr, basic, method);

    /// <summary>
    /// One HTTP/1.1 request on its own TLS connection, written by hand so the CSR can be made after the handshake from
    /// the connection's channel binding (as a device does).
    /// </summary>
    private async Task<EstResponse> SendAsync(SslProtocols protocol, X509Certificate2? clientCertificate, string path, Func<byte[], byte[]?> body, (string User, string Password)? basic = null, string method = "POST")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _port);
        await using var tls = new SslStream(tcp.GetStream());
        var root = Root;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocol,
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate!,
            CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { root }, RevocationMode = X509RevocationMode.NoCheck },
        });
        Assert.Equal(protocol, tls.SslProtocol);

        var binding = protocol == SslProtocols.Tls12 ? TlsUnique(tls) : OpenSslTlsExporter.Export(tls)!;
        var der = body(binding);
        var content = der is null ? string.Empty : Convert.ToBase64String(der);
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n")
            .Append("Content-Length: ").Append(content.Length).Append("\r\n");
        if (der is not null)
        {
            head.Append("Content-Type: ").Append(EstMediaTypes.Pkcs10).Append("\r\n");
        }

        if (basic is { } credentials)
        {
            head.Append("Authorization: Basic ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.User + ":" + credentials.Password))).Append("\r\n");
        }

        await tls.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").Append(content).ToString()));
        using var received = new MemoryStream();
        await tls.CopyToAsync(received);
        return Parse(received.ToArray());
    }

    private static byte[] TlsUnique(SslStream tls)
    {
        using var binding = tls.TransportContext!.GetChannelBinding(ChannelBindingKind.Unique)!;
        var block = new byte[binding.Size];
        System.Runtime.InteropServices.Marshal.Copy(binding.DangerousGetHandle(), block, 0, block.Length);
        var length = BitConverter.ToInt32(block, 24);
        var offset = BitConverter.ToInt32(block, 28);
        return block.AsSpan(offset + "tls-unique:".Length, length - "tls-unique:".Length).ToArray();
    }

    /// <summary>An HTTP/1.1 response with Content-Length or chunked encoding (Kestrel writes either).</summary>
    private static EstResponse Parse(byte[] raw)
    {
        var text = Encoding.ASCII.GetString(raw);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = text[..split].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Microsoft.AspNetCore.Http.IHeaderDictionary headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = raw.AsSpan(split + 4).ToArray();
        if (headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new MemoryStream();
            var position = 0;
            while (true)
            {
                var end = Encoding.ASCII.GetString(body, position, body.Length - position).IndexOf("\r\n", StringComparison.Ordinal);
                var size = Convert.ToInt32(Encoding.ASCII.GetString(body, position, end).Split(';')[0], 16);
                position += end + 2;
                if (size == 0)
                {
                    break;
                }

                decoded.Write(body, position, size);
                position += size + 2;
            }

            body = decoded.ToArray();
        }

        return new EstResponse(status, headers, body);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
