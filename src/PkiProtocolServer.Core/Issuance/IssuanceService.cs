using System.Security.Cryptography;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Keys.Software;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Issuance;

/// <summary>
/// CSR (or generated key) to certificate under a role: policy checks, validity, extensions, the
/// signature through the issuer's custody, and the durable record before the certificate is returned.
/// </summary>
public sealed class IssuanceService : ICertificateIssuer
{
    private readonly IRoleStore _roles;
    private readonly ICertificateStore _certificates;
    private readonly IssuerCatalog _issuers;
    private readonly KeyCustodyRegistry _keys;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly int _crlShards;

    /// <summary>With <paramref name="crlShards"/> above 1 (<c>Pki:Revocation:Crl:Shards</c>), each certificate's CRL distribution point names its shard.</summary>
    public IssuanceService(IRoleStore roles, ICertificateStore certificates, IssuerCatalog issuers, KeyCustodyRegistry keys, IAuditLog audit, TimeProvider time, int crlShards = 1)
    {
        _crlShards = crlShards;
        _roles = roles;
        _certificates = certificates;
        _issuers = issuers;
        _keys = keys;
        _audit = audit;
        _time = time;
    }

    public Task<IssuanceResult> SignAsync(string role, CertificationRequest csr, TimeSpan? ttl, string actor, CancellationToken cancellationToken) =>
        IssueAsync(
            new LeafRequest
            {
                Role = role,
                SubjectPublicKeyInfo = csr.SubjectPublicKeyInfo,
                KeySpec = csr.KeySpec,
                CommonName = csr.CommonName,
                Names = csr.Names,
                Ttl = ttl,
                Actor = actor,
            },
            cancellationToken);

    public async Task<IReadOnlyList<PkiSubproblem>> CheckNamesAsync(string role, SubjectNames names, CancellationToken cancellationToken)
    {
        var found = await _roles.GetAsync(role, cancellationToken).ConfigureAwait(false)
            ?? throw PkiException.NotFound($"role '{role}' does not exist");
        return RolePolicy.CheckNames(found, names);
    }

    /// <summary>Generates a key pair in memory, certifies it, and returns the private key once. The key is never stored.</summary>
    public async Task<IssuanceResult> IssueWithGeneratedKeyAsync(LeafRequest request, KeySpec keySpec, CancellationToken cancellationToken)
    {
        var pkcs8 = SoftwareKeyCustody.GeneratePkcs8(keySpec);
        try
        {
            var signer = SoftwareSigner.FromPkcs8("ephemeral:", pkcs8);
            var result = await IssueAsync(request with { SubjectPublicKeyInfo = signer.SubjectPublicKeyInfo.ToArray(), KeySpec = keySpec }, cancellationToken).ConfigureAwait(false);
            return result with { PrivateKeyPem = Pem.Encode("PRIVATE KEY", pkcs8) };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public Task<IssuanceResult> IssueAsync(LeafRequest request, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(
            _time,
            request.Actor,
            "certificate.issue",
            () => IssueCoreAsync(request, cancellationToken),
            (result, e) => e with { IssuerId = result.Certificate.IssuerId, Serial = result.Certificate.Serial, Detail = result.Stored ? null : "no_store" },
            new AuditEvent { Time = default, Actor = request.Actor, Operation = string.Empty, Outcome = string.Empty, Role = request.Role },
            cancellationToken);

    private async Task<IssuanceResult> IssueCoreAsync(LeafRequest request, CancellationToken cancellationToken)
    {
        var role = await _roles.GetAsync(request.Role, cancellationToken).ConfigureAwait(false)
            ?? throw PkiException.NotFound($"role '{request.Role}' does not exist");
        RolePolicy.Enforce(role, request.CommonName, request.Names, request.KeySpec, request.Ttl);

        var snapshot = await _issuers.GetAsync(cancellationToken).ConfigureAwait(false);
        var issuer = snapshot.Resolve(request.IssuerRef ?? role.IssuerRef);
        if (!issuer.CanIssue)
        {
            throw new PkiException(
                PkiErrorKind.PolicyRefused,
                issuer.Key is null
                    ? $"issuer '{issuer.Issuer.Name}' is chain-only and cannot issue"
                    : $"issuer '{issuer.Issuer.Name}' does not have the issuing usage (it may be retiring)",
                [new("issuer_ref", issuer.Issuer.Name, "this issuer cannot issue")]);
        }

        var now = _time.GetUtcNow();
        var notAfter = LeafValidity.CapToIssuer(now + (request.Ttl ?? role.Ttl), issuer);
        var subject = DistinguishedNames.Build(request.CommonName, role.Organization, role.OrganizationalUnit, role.Country);
        var sans = LeafExtensions.SansWithCommonName(request.CommonName, request.Names);
        var serial = SerialNumbers.New();
        int? shard = _crlShards > 1 ? Revocation.Crl.CrlShards.ShardOf(serial, _crlShards) : null;
        var template = new CertificateTemplate
        {
            SerialNumber = serial,
            IssuerName = issuer.Certificate.SubjectName.RawData,
            Subject = subject,
            SubjectPublicKeyInfo = request.SubjectPublicKeyInfo,
            NotBefore = now - role.NotBeforeDuration,
            NotAfter = notAfter,
            Extensions = LeafExtensions.Build(role, request, sans, subject.RawData.Length <= 2, issuer, shard),
        };

        var signer = await _keys.OpenAsync(issuer.Key!.KeyReference, cancellationToken).ConfigureAwait(false);
        var der = await X509Signing.SignCertificateAsync(template, signer, issuer.SignatureAlgorithm!.Value, cancellationToken).ConfigureAwait(false);
        var record = new IssuedCertificate
        {
            Serial = SerialNumbers.ToHex(template.SerialNumber),
            IssuerId = issuer.Issuer.Id,
            Role = role.Name,
            CommonName = request.CommonName,
            SubjectAlternativeNames = sans.Describe(),
            NotBefore = template.NotBefore,
            NotAfter = template.NotAfter,
            CertificateDer = der,
            IssuedAt = now,
        };

        if (!role.NoStore)
        {
            await _certificates.AddAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return new IssuanceResult
        {
            Certificate = record,
            Chain = issuer.Chain.Select(c => c.Issuer.CertificateDer).ToList(),
            AlternateChains = snapshot.AlternateChains(issuer).Select(chain => (IReadOnlyList<byte[]>)chain.Select(c => c.Issuer.CertificateDer).ToList()).ToList(),
            Stored = !role.NoStore,
        };
    }
}
