using System.Formats.Asn1;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>
/// A tls-alpn-01 responder (RFC 8737) on a free local port: answers the handshake for a server name with the
/// self-signed certificate a test sets, negotiating <c>acme-tls/1</c> when <see cref="OfferAlpn"/> is on.
/// </summary>
public sealed class TlsAlpnResponder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TlsAlpnResponder()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public bool OfferAlpn { get; set; } = true;

    /// <summary>Server name → certificate.</summary>
    public Dictionary<string, X509Certificate2> Certificates { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The RFC 8737 certificate for a DNS name: its only SAN, and the critical acmeIdentifier with SHA-256 of the key authorization.</summary>
    public static X509Certificate2 ChallengeCertificate(string dnsName, string keyAuthorization, bool critical = true, string? sanOverride = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=acme-tls-alpn", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName(sanOverride ?? dnsName);
        request.CertificateExtensions.Add(sans.Build());
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization)));
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.5.5.7.1.31", writer.Encode(), critical));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        await using (var tls = new SslStream(client.GetStream()))
        {
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ApplicationProtocols = OfferAlpn ? [new SslApplicationProtocol("acme-tls/1")] : [SslApplicationProtocol.Http11],
                    ServerCertificateSelectionCallback = (_, name) => Certificates.TryGetValue(name ?? string.Empty, out var c) ? c : Certificates.Values.First(),
                });
                await tls.ShutdownAsync();
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
            {
                // The validator hung up or refused: nothing to do here.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var certificate in Certificates.Values)
        {
            certificate.Dispose();
        }

        _stop.Dispose();
    }
}
