using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Admin.Contracts;

/// <summary>Maps issuer contracts to and from the core's types.</summary>
public static class IssuerContractMapping
{
    public static LeafNotAfterBehavior ParseBehavior(string text) => text.ToLowerInvariant() switch
    {
        "err" => LeafNotAfterBehavior.Err,
        "truncate" => LeafNotAfterBehavior.Truncate,
        "permit" => LeafNotAfterBehavior.Permit,
        _ => throw PkiException.Malformed($"leaf_not_after_behavior '{text}' must be err, truncate or permit"),
    };

    public static IssuerUsage ParseUsage(IEnumerable<string> names)
    {
        var usage = IssuerUsage.None;
        foreach (var name in names)
        {
            usage |= name.ToLowerInvariant() switch
            {
                "issuing" or "issuing-certificates" => IssuerUsage.Issuing,
                "crl-signing" => IssuerUsage.CrlSigning,
                "ocsp-signing" => IssuerUsage.OcspSigning,
                _ => throw PkiException.Malformed($"usage '{name}' must be issuing, crl-signing or ocsp-signing"),
            };
        }

        return usage;
    }

    public static List<string> FormatUsage(IssuerUsage usage)
    {
        var result = new List<string>();
        if (usage.HasFlag(IssuerUsage.Issuing))
        {
            result.Add("issuing");
        }

        if (usage.HasFlag(IssuerUsage.CrlSigning))
        {
            result.Add("crl-signing");
        }

        if (usage.HasFlag(IssuerUsage.OcspSigning))
        {
            result.Add("ocsp-signing");
        }

        return result;
    }

    public static IssuerView ToView(IssuerContext context, IssuerSnapshot snapshot)
    {
        var issuer = context.Issuer;
        return new IssuerView
        {
            IssuerId = issuer.Id,
            IssuerName = issuer.Name,
            IsDefault = snapshot.DefaultId == issuer.Id,
            KeyId = issuer.KeyId,
            Custody = context.Key?.Custody,
            KeyType = context.Key?.KeySpec.ToString(),
            Subject = context.Certificate.Subject,
            SerialNumber = SerialNumbers.ToHex(context.Certificate.SerialNumberBytes.Span),
            NotBefore = context.NotBefore,
            NotAfter = context.NotAfter,
            SelfSigned = context.IsSelfSigned,
            Usage = FormatUsage(issuer.Usage),
            LeafNotAfterBehavior = issuer.LeafNotAfterBehavior.ToString().ToLowerInvariant(),
            IssuingCertificates = issuer.Urls.IssuingCertificates,
            CrlDistributionPoints = issuer.Urls.CrlDistributionPoints,
            OcspServers = issuer.Urls.OcspServers,
            ManualChain = issuer.ManualChain,
            Certificate = Pem.Encode("CERTIFICATE", issuer.CertificateDer),
            CaChain = context.Chain.Select(c => Pem.Encode("CERTIFICATE", c.Issuer.CertificateDer)).ToList(),
        };
    }

    public static KeyView ToView(IssuerKey key, KeyCustodyRegistry custodies) => new()
    {
        KeyId = key.Id,
        KeyName = key.Name,
        KeyRef = key.KeyReference,
        Custody = key.Custody,
        KeyType = key.KeySpec.TypeName,
        KeyBits = key.KeySpec.Bits,
        DevelopmentGradeCustody = custodies.Names.Contains(key.Custody, StringComparer.OrdinalIgnoreCase) && custodies.Get(key.Custody).IsDevelopmentGrade,
        CreatedAt = key.CreatedAt,
    };
}
