using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Jws;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// The RFC 9773 4.1 certificate identifier: base64url (no padding) of the keyIdentifier of the certificate's Authority
/// Key Identifier, a '.', and base64url of the DER serial number's content octets (a leading zero octet kept).
/// </summary>
public sealed record AriCertificateId(byte[] KeyIdentifier, byte[] SerialNumber)
{
    /// <summary>The longest serial RFC 5280 4.1.2.2 allows (20 octets) plus room for a sign octet.</summary>
    private const int MaxSerialOctets = 21;

    /// <summary>The serial as the core and the ACME stores record it: lower-case hex, a leading zero octet dropped.</summary>
    public string SerialHex =>
        Convert.ToHexStringLower(SerialNumber.Length > 1 && SerialNumber[0] == 0 ? SerialNumber.AsSpan(1) : SerialNumber);

    public override string ToString() => Base64UrlText.Encode(KeyIdentifier) + "." + Base64UrlText.Encode(SerialNumber);

    /// <summary>Reads a certID; anything else is <c>malformed</c> (RFC 9773 4.1 names no other error).</summary>
    public static AriCertificateId Parse(string? value)
    {
        var parts = (value ?? string.Empty).Split('.');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || parts.Any(p => p.Contains('=', StringComparison.Ordinal))
            || !Base64UrlText.TryDecode(parts[0], out var keyIdentifier) || !Base64UrlText.TryDecode(parts[1], out var serial)
            || keyIdentifier.Length == 0 || serial.Length == 0 || serial.Length > MaxSerialOctets)
        {
            throw AcmeException.Malformed("a certID is base64url(authority key identifier) '.' base64url(serial number), unpadded (RFC 9773 4.1)");
        }

        // DER INTEGER content: no redundant leading zero octet, and a serial is positive (RFC 5280 4.1.2.2).
        if (serial.Length > 1 && serial[0] == 0 && serial[1] < 0x80 || serial[0] >= 0x80)
        {
            throw AcmeException.Malformed("the serial number of a certID is the DER encoding's content octets of a positive INTEGER (RFC 9773 4.1)");
        }

        return new AriCertificateId(keyIdentifier, serial);
    }

    /// <summary>The certID of a certificate; null when it has no Authority Key Identifier with a keyIdentifier.</summary>
    public static AriCertificateId? Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault();
        if (aki?.KeyIdentifier is not { Length: > 0 } keyIdentifier)
        {
            return null;
        }

        // SerialNumberBytes is the INTEGER's content octets, big-endian, as encoded (unlike GetSerialNumber()).
        return new AriCertificateId(keyIdentifier.ToArray(), certificate.SerialNumberBytes.ToArray());
    }

    /// <summary>True when <paramref name="certificate"/> is the one this certID names.</summary>
    public bool Names(X509Certificate2 certificate) =>
        Of(certificate) is { } actual && actual.KeyIdentifier.AsSpan().SequenceEqual(KeyIdentifier) && actual.SerialNumber.AsSpan().SequenceEqual(SerialNumber);
}
