using System.Formats.Asn1;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>
/// tls-alpn-01 (RFC 8737): a TLS handshake to the identifier on <c>Pki:Acme:TlsAlpnChallengePort</c> offering only the
/// ALPN protocol <c>acme-tls/1</c>, with SNI the DNS name (RFC 8738 6: the reverse-DNS name of an IP address). The
/// self-signed certificate must name exactly the identifier and carry the critical acmeIdentifier extension holding
/// SHA-256 of the key authorization.
/// </summary>
public sealed class TlsAlpn01Validator : IChallengeValidator
{
    public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";
    public static readonly SslApplicationProtocol AcmeTls1 = new("acme-tls/1");

    private readonly IAcmeDnsResolver _resolver;
    private readonly AcmeOptions _options;

    public TlsAlpn01Validator(IAcmeDnsResolver resolver, IOptions<AcmeOptions> options)
    {
        _resolver = resolver;
        _options = options.Value;
    }

    public string Type => AcmeChallenge.TlsAlpn01;

    public async Task ValidateAsync(AcmeIdentifier identifier, AcmeChallenge challenge, string keyAuthorization, CancellationToken cancellationToken)
    {
        var port = _options.TlsAlpnChallengePort;
        var serverName = identifier.Type == AcmeIdentifier.Ip ? ReverseName(IPAddress.Parse(identifier.Value)) : identifier.Value;
        using var socket = await AddressConnector.ConnectAsync(_resolver, identifier.Value, port, cancellationToken).ConfigureAwait(false);
        await using var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = serverName,
                    ApplicationProtocols = [AcmeTls1],
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    // The certificate is self-signed by design (RFC 8737 3); what proves control is checked below.
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            throw new ChallengeFailedException(AcmeErrorType.Tls, $"the TLS handshake with {identifier.Value} port {port} failed: {e.Message}", e);
        }

        if (stream.NegotiatedApplicationProtocol != AcmeTls1)
        {
            throw new ChallengeFailedException(AcmeErrorType.Tls, $"{identifier.Value} port {port} did not negotiate the ALPN protocol acme-tls/1");
        }

        using var certificate = stream.RemoteCertificate is { } remote ? new X509Certificate2(remote) : null;
        if (certificate is null)
        {
            throw new ChallengeFailedException(AcmeErrorType.Tls, $"{identifier.Value} port {port} presented no certificate");
        }

        CheckCertificate(certificate, identifier, keyAuthorization);
    }

    /// <summary>RFC 8737 3: exactly one subjectAltName, the identifier, and a critical acmeIdentifier with the digest.</summary>
    public static void CheckCertificate(X509Certificate2 certificate, AcmeIdentifier identifier, string keyAuthorization)
    {
        var san = certificate.Extensions[GeneralNames.SubjectAltNameOid];
        SubjectNames names;
        try
        {
            names = san is null ? SubjectNames.Empty : GeneralNames.Read(san.RawData);
        }
        catch (Core.Errors.PkiException)
        {
            throw new ChallengeFailedException(AcmeErrorType.IncorrectResponse, "the tls-alpn-01 certificate's subjectAltName cannot be read");
        }

        var matches = identifier.Type == AcmeIdentifier.Ip
            ? names.IpAddresses.Count == 1 && names.DnsNames.Count == 0 && names.IpAddresses[0].Equals(IPAddress.Parse(identifier.Value))
            : names.DnsNames.Count == 1 && names.IpAddresses.Count == 0 && string.Equals(names.DnsNames[0], identifier.Value, StringComparison.OrdinalIgnoreCase);
        if (!matches || names.Uris.Count + names.Emails.Count + names.Unsupported.Count > 0)
        {
            throw new ChallengeFailedException(AcmeErrorType.IncorrectResponse, $"the tls-alpn-01 certificate must have exactly one subjectAltName, {identifier.Value}; it has {string.Join(", ", names.Describe().DefaultIfEmpty("none"))}");
        }

        var extension = certificate.Extensions[AcmeIdentifierOid]
            ?? throw new ChallengeFailedException(AcmeErrorType.IncorrectResponse, "the tls-alpn-01 certificate has no acmeIdentifier extension (1.3.6.1.5.5.7.1.31)");
        if (!extension.Critical)
        {
            throw new ChallengeFailedException(AcmeErrorType.IncorrectResponse, "the acmeIdentifier extension must be critical (RFC 8737 3)");
        }

        byte[] digest;
        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            digest = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
        }
        catch (AsnContentException)
        {
            throw new ChallengeFailedException(AcmeErrorType.IncorrectResponse, "the acmeIdentifier extension is not a DER OCTET STRING");
        }

        if (!digest.AsSpan().SequenceEqual(KeyAuthorizations.Digest(keyAuthorization)))
        {
            throw new ChallengeFailedException(AcmeErrorType.IncorrectResponse, "the acmeIdentifier extension does not hold SHA-256 of the key authorization");
        }
    }

    /// <summary>RFC 8738 6: <c>4.3.2.1.in-addr.arpa</c> / nibble form under <c>ip6.arpa</c>.</summary>
    public static string ReverseName(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Join('.', bytes.Reverse().Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ".in-addr.arpa";
        }

        var nibbles = bytes.SelectMany(b => new[] { b >> 4, b & 0xf }).Reverse().Select(n => n.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        return string.Join('.', nibbles) + ".ip6.arpa";
    }
}
