using System.Formats.Asn1;
using System.Security.Cryptography;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>
/// Finds the issuers a CertID names: by the hash of the issuer's subject and of its public key, for each
/// hash algorithm a client may use (RFC 6960 4.1.1; openssl sends SHA-1, others SHA-256). Built once per
/// issuer snapshot.
/// </summary>
public sealed class OcspIssuerIndex
{
    private static readonly (string Oid, Func<byte[], byte[]> Hash)[] Algorithms =
    [
#pragma warning disable CA5350 // SHA-1 CertIDs identify an issuer; they protect nothing, and most clients still send them.
        ("1.3.14.3.2.26", SHA1.HashData),
#pragma warning restore CA5350
        (SignatureAlgorithms.Sha256Oid, SHA256.HashData),
        (SignatureAlgorithms.Sha384Oid, SHA384.HashData),
        (SignatureAlgorithms.Sha512Oid, SHA512.HashData),
    ];

    private readonly Dictionary<string, IReadOnlyList<IssuerContext>> _byHashes = new(StringComparer.Ordinal);

    public OcspIssuerIndex(IssuerSnapshot snapshot)
    {
        Snapshot = snapshot;
        foreach (var issuer in snapshot.All)
        {
            var name = issuer.Certificate.SubjectName.RawData;
            var key = PublicKeyBits(issuer.SubjectPublicKeyInfo);
            foreach (var (oid, hash) in Algorithms)
            {
                var k = Key(oid, hash(name), hash(key));
                _byHashes[k] = _byHashes.TryGetValue(k, out var existing) ? [.. existing, issuer] : [issuer];
            }
        }
    }

    public IssuerSnapshot Snapshot { get; }

    /// <summary>The issuers with the subject and key the CertID names (several when an issuer certificate was reissued with the same key); empty when none is ours.</summary>
    public IReadOnlyList<IssuerContext> Find(OcspCertId certId) =>
        _byHashes.TryGetValue(Key(certId.HashAlgorithmOid, certId.IssuerNameHash, certId.IssuerKeyHash), out var issuers) ? issuers : [];

    private static string Key(string oid, byte[] nameHash, byte[] keyHash) =>
        oid + "|" + Convert.ToHexStringLower(nameHash) + "|" + Convert.ToHexStringLower(keyHash);

    // RFC 6960 4.1.1: issuerKeyHash covers the subjectPublicKey BIT STRING value, without tag, length and unused-bits octet.
    private static byte[] PublicKeyBits(byte[] subjectPublicKeyInfo)
    {
        var spki = new AsnReader(subjectPublicKeyInfo, AsnEncodingRules.DER).ReadSequence();
        spki.ReadEncodedValue();
        return spki.ReadBitString(out _);
    }
}
