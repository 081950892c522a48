using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Issuers;

/// <summary>An issuer with what issuance needs read off its certificate once: names, key identifier, lifetime, chain.</summary>
public sealed class IssuerContext
{
    internal IssuerContext(Issuer issuer, IssuerKey? key)
    {
        Issuer = issuer;
        Key = key;
        Certificate = X509CertificateLoader.LoadCertificate(issuer.CertificateDer);
        SubjectPublicKeyInfo = Certificate.PublicKey.ExportSubjectPublicKeyInfo();
        KeyIdentifier = Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.ToArray()
            ?? Extensions.KeyIdentifier(SubjectPublicKeyInfo);
        AuthorityKeyIdentifier = Certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier?.ToArray();
        IsSelfSigned = Certificate.SubjectName.RawData.AsSpan().SequenceEqual(Certificate.IssuerName.RawData)
            && (AuthorityKeyIdentifier is null || AuthorityKeyIdentifier.AsSpan().SequenceEqual(KeyIdentifier));
        SignatureAlgorithm = key?.KeySpec.DefaultSignatureAlgorithm;
    }

    public Issuer Issuer { get; }

    public IssuerKey? Key { get; }

    public X509Certificate2 Certificate { get; }

    public byte[] SubjectPublicKeyInfo { get; }

    public byte[] KeyIdentifier { get; }

    public byte[]? AuthorityKeyIdentifier { get; }

    public bool IsSelfSigned { get; }

    /// <summary>The algorithm this issuer signs with; null for a chain-only issuer.</summary>
    public SignatureAlgorithm? SignatureAlgorithm { get; }

    public DateTimeOffset NotAfter => Certificate.NotAfter.ToUniversalTime();

    public DateTimeOffset NotBefore => Certificate.NotBefore.ToUniversalTime();

    /// <summary>This issuer first, then its parents up to a root (as far as the server knows them).</summary>
    public IReadOnlyList<IssuerContext> Chain { get; internal set; } = [];

    public bool CanIssue => Key is not null && Issuer.Usage.HasFlag(IssuerUsage.Issuing);
}
