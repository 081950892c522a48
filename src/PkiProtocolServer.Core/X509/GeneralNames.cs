using System.Formats.Asn1;
using System.Net;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.X509;

/// <summary>The subject alternative names a certificate or CSR carries, by kind (RFC 5280 4.2.1.6).</summary>
public sealed record SubjectNames
{
    public static readonly SubjectNames Empty = new();

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    public IReadOnlyList<string> Uris { get; init; } = [];

    public IReadOnlyList<string> Emails { get; init; } = [];

    /// <summary>GeneralName kinds present that this server does not issue (otherName, directoryName, ...).</summary>
    public IReadOnlyList<string> Unsupported { get; init; } = [];

    public bool IsEmpty => DnsNames.Count == 0 && IpAddresses.Count == 0 && Uris.Count == 0 && Emails.Count == 0 && Unsupported.Count == 0;

    /// <summary>Every name prefixed by its kind (<c>dns:</c>, <c>ip:</c>, <c>uri:</c>, <c>email:</c>), for records and logs.</summary>
    public IReadOnlyList<string> Describe() =>
        DnsNames.Select(n => "dns:" + n)
            .Concat(IpAddresses.Select(a => "ip:" + a))
            .Concat(Uris.Select(u => "uri:" + u))
            .Concat(Emails.Select(e => "email:" + e))
            .ToList();
}

/// <summary>Reads and writes the GeneralNames of a SubjectAltName extension value.</summary>
public static class GeneralNames
{
    public const string SubjectAltNameOid = "2.5.29.17";

    public static SubjectNames Read(ReadOnlyMemory<byte> extensionValue)
    {
        var dns = new List<string>();
        var ips = new List<IPAddress>();
        var uris = new List<string>();
        var emails = new List<string>();
        var unsupported = new List<string>();
        try
        {
            var sequence = new AsnReader(extensionValue, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific)
                {
                    throw PkiException.BadCsr("subjectAltName holds a value that is not a GeneralName");
                }

                switch (tag.TagValue)
                {
                    case 1: emails.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 2: dns.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 6: uris.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 7:
                        var bytes = sequence.ReadOctetString(tag);
                        if (bytes.Length is not (4 or 16))
                        {
                            throw PkiException.BadCsr($"subjectAltName iPAddress of {bytes.Length} octets is neither IPv4 nor IPv6");
                        }

                        ips.Add(new IPAddress(bytes));
                        break;
                    default:
                        unsupported.Add(tag.TagValue switch
                        {
                            0 => "otherName",
                            3 => "x400Address",
                            4 => "directoryName",
                            5 => "ediPartyName",
                            _ => "registeredID",
                        });
                        sequence.ReadEncodedValue();
                        break;
                }
            }
        }
        catch (AsnContentException ex)
        {
            throw PkiException.BadCsr("subjectAltName is not valid DER: " + ex.Message);
        }

        return new SubjectNames { DnsNames = dns, IpAddresses = ips, Uris = uris, Emails = emails, Unsupported = unsupported };
    }

    public static byte[] Write(SubjectNames names)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var email in names.Emails)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, email, new Asn1Tag(TagClass.ContextSpecific, 1));
            }

            foreach (var dns in names.DnsNames)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
            }

            foreach (var uri in names.Uris)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
            }

            foreach (var ip in names.IpAddresses)
            {
                writer.WriteOctetString(ip.GetAddressBytes(), new Asn1Tag(TagClass.ContextSpecific, 7));
            }
        }

        return writer.Encode();
    }
}
