using System.Security.Cryptography;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>Records for the store contracts: every field set, unique per call, timestamps at millisecond precision.</summary>
public static class StoreSamples
{
    /// <summary>A fixed instant with milliseconds and a non-UTC offset: stores must keep the instant to the millisecond.</summary>
    public static readonly DateTimeOffset Instant = new(2026, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(2));

    public static string NewId(string prefix) => prefix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>128 random bits as lower-case hex, as the issuance core makes serials.</summary>
    public static string NewSerial() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Bytes that include 0x00 and 0xff, so a store that treats them as text breaks.</summary>
    public static byte[] Bytes(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        bytes[0] = 0x30;
        bytes[1] = 0x00;
        bytes[^1] = 0xff;
        return bytes;
    }

    public static IssuerKey Key(string? name = null, KeySpec? spec = null) => new()
    {
        Id = NewId("key"),
        Name = name ?? NewId("key-name"),
        KeyReference = "pkcs11:token=ca;object=" + NewId("obj") + ";id=%01%ab",
        KeySpec = spec ?? KeySpec.EcP384,
        SubjectPublicKeyInfo = Bytes(91),
        CreatedAt = Instant.AddMinutes(-5),
    };

    /// <summary>An issuer with every setting away from its default.</summary>
    public static Issuer Issuer(string? name = null, string? keyId = null) => new()
    {
        Id = NewId("iss"),
        Name = name ?? NewId("issuer"),
        CertificateDer = Bytes(700),
        KeyId = keyId,
        LeafNotAfterBehavior = LeafNotAfterBehavior.Truncate,
        Usage = IssuerUsage.CrlSigning | IssuerUsage.OcspSigning,
        Urls = new IssuerUrls
        {
            IssuingCertificates = ["http://ca.example/issuers/a.der", "http://mirror.example/issuers/a.der"],
            CrlDistributionPoints = ["http://ca.example/crl/a.crl"],
            OcspServers = ["http://ca.example/ocsp", "http://ocsp2.example/", "http://ocsp3.example/"],
        },
        ManualChain = ["self", "cross-signed-intermediate", "old-root"],
        CreatedAt = Instant,
    };

    /// <summary>A role with every setting away from its default (and lists of several entries).</summary>
    public static Role Role(string? name = null) => new()
    {
        Name = name ?? NewId("role"),
        IssuerRef = "intermediate-2026",
        AllowedDomains = ["example.com", "example.net", "web-*.example.org"],
        AllowBareDomains = true,
        AllowSubdomains = true,
        AllowGlobDomains = true,
        AllowWildcardCertificates = true,
        AllowLocalhost = true,
        AllowAnyName = true,
        EnforceHostnames = false,
        AllowIpSans = true,
        AllowedUriSans = ["spiffe://cluster.local/*"],
        KeyType = "ec",
        KeyBits = 384,
        KeyUsage = ["DigitalSignature"],
        ExtKeyUsage = ["ServerAuth", "CodeSigning", "EmailProtection"],
        ExtKeyUsageOids = ["1.3.6.1.5.5.7.3.99", "1.2.3.4"],
        Ttl = TimeSpan.FromHours(36.5),
        MaxTtl = TimeSpan.FromDays(397),
        NotBeforeDuration = TimeSpan.FromMilliseconds(45_250),
        NoStore = true,
        RequireCn = true,
        PolicyIdentifiers = ["2.23.140.1.2.1"],
        Organization = ["Example Org", "Ünïcode GmbH"],
        OrganizationalUnit = ["Platform"],
        Country = ["DE", "US"],
    };

    public static IssuedCertificate Certificate(string? serial = null, string issuerId = "iss-1") => new()
    {
        Serial = serial ?? NewSerial(),
        IssuerId = issuerId,
        Role = "web-servers",
        CommonName = "www.example.com",
        SubjectAlternativeNames = ["dns:www.example.com", "dns:*.example.com", "ip:192.0.2.7", "ip:2001:db8::1", "uri:spiffe://cluster.local/ns/a/sa/b"],
        NotBefore = Instant.AddSeconds(-30),
        NotAfter = Instant.AddDays(90).AddMilliseconds(1),
        CertificateDer = Bytes(1200),
        IssuedAt = Instant.AddMilliseconds(7),
    };

    /// <summary>A revocation with every optional field set.</summary>
    public static RevocationEntry Revocation(string? serial = null, string issuerId = "iss-1", int? shard = 3) => new()
    {
        Serial = serial ?? NewSerial(),
        IssuerId = issuerId,
        RevokedAt = Instant.AddMinutes(1),
        Reason = RevocationReason.KeyCompromise,
        InvalidityDate = Instant.AddDays(-2).AddMilliseconds(250),
        NotAfter = Instant.AddDays(90),
        Shard = shard,
        CertificateDer = Bytes(800),
    };

    public static PublishedCrl Crl(string issuerId, long number, int? shard = null, bool delta = false) => new(
        new CrlInfo
        {
            IssuerId = issuerId,
            Shard = shard,
            IsDelta = delta,
            Number = number,
            BaseNumber = delta ? number - 1 : null,
            ThisUpdate = Instant,
            NextUpdate = Instant.AddHours(24),
            MaxSequence = number * 10,
            EntryCount = number * 3,
        },
        Bytes(300 + (int)number));

    public static OcspResponderRecord Responder(string issuerId, DateTimeOffset createdAt, DateTimeOffset notAfter) => new()
    {
        Id = NewId("responder"),
        IssuerId = issuerId,
        KeyReference = "software:id=" + NewId("k"),
        CertificateDer = Bytes(500),
        NotBefore = createdAt.AddMinutes(-1),
        NotAfter = notAfter,
        CreatedAt = createdAt,
    };

    public static CachedOcspResponse OcspResponse(string? serial = null, string issuerId = "iss-1", string? key = null, DateTimeOffset? thisUpdate = null) => new()
    {
        Key = key ?? Convert.ToHexStringLower(Bytes(40)),
        CertIdDer = Bytes(70),
        IssuerId = issuerId,
        Serial = serial ?? NewSerial(),
        Status = OcspCertStatus.Revoked,
        ThisUpdate = thisUpdate ?? Instant,
        NextUpdate = (thisUpdate ?? Instant).AddHours(12),
        RefreshAt = (thisUpdate ?? Instant).AddHours(6),
        ResponseDer = Bytes(900),
    };
}
