using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Revocation.Crl;

/// <summary>
/// CRL sharding as Let's Encrypt does it: the shard is fixed at issuance from the serial and written
/// into the certificate's CRL distribution point, so a relying party fetches only its shard's CRL, and
/// a revocation reads the shard back from the certificate (the shard count may change later).
/// URL layout: the issuer's CDP <c>.../crl/{issuer}.crl</c> becomes <c>.../crl/{issuer}/{n}.crl</c>.
/// </summary>
public static partial class CrlShards
{
    /// <summary>The shard of a serial (DER INTEGER content): its low 32 bits, uniform for random serials.</summary>
    public static int ShardOf(ReadOnlySpan<byte> serial, int shards)
    {
        if (shards <= 1)
        {
            return 0;
        }

        Span<byte> tail = stackalloc byte[4];
        tail.Clear();
        var take = Math.Min(4, serial.Length);
        serial[^take..].CopyTo(tail[(4 - take)..]);
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(tail) % (uint)shards);
    }

    /// <summary><c>http://h/crl/x.crl</c> → <c>http://h/crl/x/3.crl</c>; null for a URL that does not end in <c>.crl</c>.</summary>
    public static string? ShardUrl(string crlUrl, int shard) =>
        crlUrl.EndsWith(".crl", StringComparison.Ordinal) ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{crlUrl[..^4]}/{shard}.crl") : null;

    /// <summary><c>http://h/crl/x.crl</c> → <c>http://h/crl/x-delta.crl</c>; null for a URL that does not end in <c>.crl</c>.</summary>
    public static string? DeltaUrl(string crlUrl) =>
        crlUrl.EndsWith(".crl", StringComparison.Ordinal) ? crlUrl[..^4] + "-delta.crl" : null;

    /// <summary>The CDP URLs a certificate of <paramref name="shard"/> carries, from the issuer's configured CDP URLs.</summary>
    public static IReadOnlyList<string> ShardUrls(IReadOnlyList<string> crlUrls, int shard) =>
        crlUrls.Select(u => ShardUrl(u, shard) ?? u).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The shard named by a certificate's CRL distribution points (<c>.../crl/{issuer}/{n}.crl</c>), or null.</summary>
    public static int? ShardFromCertificate(X509Certificate2 certificate)
    {
        var cdp = certificate.Extensions[Extensions.CrlDistributionPointsOid];
        if (cdp is null)
        {
            return null;
        }

        try
        {
            foreach (var url in DistributionPointUris(cdp.RawData))
            {
                var match = ShardPath().Match(url);
                if (match.Success && int.TryParse(match.Groups["n"].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var shard))
                {
                    return shard;
                }
            }
        }
        catch (AsnContentException)
        {
            // A CDP we cannot read names no shard of ours.
        }

        return null;
    }

    /// <summary>The URIs in the fullName of each DistributionPoint of a CRLDistributionPoints value.</summary>
    public static IEnumerable<string> DistributionPointUris(byte[] value)
    {
        var result = new List<string>();
        var points = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
        while (points.HasData)
        {
            var point = points.ReadSequence();
            if (!point.HasData || !point.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                continue;
            }

            var name = point.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            if (!name.HasData || !name.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                continue;
            }

            var fullName = name.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            while (fullName.HasData)
            {
                var tag = fullName.PeekTag();
                if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 6)))
                {
                    result.Add(fullName.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                }
                else
                {
                    fullName.ReadEncodedValue();
                }
            }
        }

        return result;
    }

    [GeneratedRegex(@"/crl/[^/]+/(?<n>[0-9]{1,4})\.crl$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardPath();
}
