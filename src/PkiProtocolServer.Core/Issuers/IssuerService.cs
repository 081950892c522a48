using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Issuers;

/// <summary>
/// The operator's issuer lifecycle: roots, intermediate CSRs, signing intermediates, importing
/// certificates, settings, default issuer, deletion. Every operation writes one audit line.
/// </summary>
public sealed class IssuerService
{
    private readonly IIssuerStore _store;
    private readonly ICertificateStore _certificates;
    private readonly KeyCustodyRegistry _keys;
    private readonly IssuerCatalog _catalog;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    public IssuerService(IIssuerStore store, ICertificateStore certificates, KeyCustodyRegistry keys, IssuerCatalog catalog, IAuditLog audit, TimeProvider time)
    {
        _store = store;
        _certificates = certificates;
        _keys = keys;
        _catalog = catalog;
        _audit = audit;
        _time = time;
    }

    public Task<Issuer> GenerateRootAsync(GenerateRootRequest request, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "issuer.generate_root", async () =>
        {
            ValidateName(request.Name);
            ValidateConstraints(request.Constraints);
            await EnsureNameFreeAsync(request.Name, cancellationToken).ConfigureAwait(false);
            var subject = DistinguishedNames.Build(request.Key.CommonName, request.Key.Organization, request.Key.OrganizationalUnit, request.Key.Country);
            var (signer, key, generated) = await AcquireKeyAsync(request.Key, request.Name, cancellationToken).ConfigureAwait(false);
            try
            {
                var now = _time.GetUtcNow();
                var keyId = Extensions.KeyIdentifier(signer.SubjectPublicKeyInfo.Span);
                var template = new CertificateTemplate
                {
                    SerialNumber = SerialNumbers.New(),
                    IssuerName = subject.RawData,
                    Subject = subject,
                    SubjectPublicKeyInfo = signer.SubjectPublicKeyInfo,
                    NotBefore = now.AddMinutes(-1),
                    NotAfter = now + request.Constraints.Ttl,
                    Extensions = CaCertificates.Extensions(signer.SubjectPublicKeyInfo.Span, keyId, request.Constraints, null),
                };
                var algorithm = signer.KeySpec.DefaultSignatureAlgorithm;
                var der = await X509Signing.SignCertificateAsync(template, signer, algorithm, cancellationToken).ConfigureAwait(false);
                EnsureSignedBy(der, signer.SubjectPublicKeyInfo.Span, algorithm);

                var issuer = NewIssuer(request.Name, der, key.Id, request.Settings);
                var makeDefault = request.MakeDefault || await _store.GetDefaultIdAsync(cancellationToken).ConfigureAwait(false) is null;
                await _store.AddAsync(issuer, generated || await _store.GetKeyAsync(key.Id, cancellationToken).ConfigureAwait(false) is null ? key : null, makeDefault, cancellationToken).ConfigureAwait(false);
                _catalog.Invalidate();
                return issuer;
            }
            catch when (generated)
            {
                await _keys.DeleteAsync(signer.KeyReference, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }, (issuer, e) => e with { IssuerId = issuer.Id, Serial = SerialOf(issuer.CertificateDer), Detail = $"name={issuer.Name}" }, null, cancellationToken);

    public Task<IntermediateCsr> GenerateIntermediateAsync(GenerateIntermediateRequest request, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "issuer.generate_intermediate", async () =>
        {
            ValidateName(request.KeyName);
            if ((await _store.ListKeysAsync(cancellationToken).ConfigureAwait(false)).Any(k => k.Name == request.KeyName))
            {
                throw PkiException.Conflict($"a key named '{request.KeyName}' already exists");
            }

            var subject = DistinguishedNames.Build(request.Key.CommonName, request.Key.Organization, request.Key.OrganizationalUnit, request.Key.Country);
            var (signer, key, generated) = await AcquireKeyAsync(request.Key, request.KeyName, cancellationToken).ConfigureAwait(false);
            try
            {
                if (generated || await _store.GetKeyAsync(key.Id, cancellationToken).ConfigureAwait(false) is null)
                {
                    await _store.AddKeyAsync(key, cancellationToken).ConfigureAwait(false);
                }

                var csr = await CsrAsync(subject, signer, cancellationToken).ConfigureAwait(false);
                return new IntermediateCsr(key, csr);
            }
            catch when (generated)
            {
                await _keys.DeleteAsync(signer.KeyReference, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }, (csr, e) => e with { Detail = $"key={csr.Key.Id} custody={csr.Key.Custody}" }, null, cancellationToken);

    /// <summary>A CSR with an existing issuer's key and subject: the input to cross-signing and reissuance.</summary>
    public Task<IntermediateCsr> CsrForIssuerAsync(string issuerRef, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "issuer.csr", async () =>
        {
            var issuer = (await _catalog.GetAsync(cancellationToken).ConfigureAwait(false)).Resolve(issuerRef);
            var key = issuer.Key ?? throw PkiException.Malformed($"issuer '{issuer.Issuer.Name}' has no key on this server");
            var signer = await _keys.OpenAsync(key.KeyReference, cancellationToken).ConfigureAwait(false);
            var csr = await CsrAsync(issuer.Certificate.SubjectName, signer, cancellationToken).ConfigureAwait(false);
            return new IntermediateCsr(key, csr);
        }, (csr, e) => e with { Detail = $"key={csr.Key.Id}" }, new AuditEvent { Time = default, Actor = actor, Operation = string.Empty, Outcome = string.Empty, IssuerId = issuerRef }, cancellationToken);

    public Task<SignedCertificate> SignIntermediateAsync(string issuerRef, SignIntermediateRequest request, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "issuer.sign_intermediate", async () =>
        {
            ValidateConstraints(request.Constraints);
            var parent = await SigningIssuerAsync(issuerRef, cancellationToken).ConfigureAwait(false);
            var csr = CertificationRequest.ParseDer(request.Csr);
            var subject = request.CommonName is { Length: > 0 } cn ? DistinguishedNames.Build(cn) : csr.Subject;
            if (subject.RawData.Length <= 2)
            {
                throw PkiException.BadCsr("an intermediate needs a subject: the CSR has none and no common_name was given");
            }

            var now = _time.GetUtcNow();
            var notAfter = LeafValidity.CapToIssuer(now + request.Constraints.Ttl, parent);
            var template = new CertificateTemplate
            {
                SerialNumber = SerialNumbers.New(),
                IssuerName = parent.Certificate.SubjectName.RawData,
                Subject = subject,
                SubjectPublicKeyInfo = csr.SubjectPublicKeyInfo,
                NotBefore = now.AddMinutes(-1),
                NotAfter = notAfter,
                Extensions = CaCertificates.Extensions(csr.SubjectPublicKeyInfo, parent.KeyIdentifier, request.Constraints, parent.Issuer.Urls),
            };
            var signer = await _keys.OpenAsync(parent.Key!.KeyReference, cancellationToken).ConfigureAwait(false);
            var der = await X509Signing.SignCertificateAsync(template, signer, parent.SignatureAlgorithm!.Value, cancellationToken).ConfigureAwait(false);
            var serial = SerialNumbers.ToHex(template.SerialNumber);
            await _certificates.AddAsync(
                new IssuedCertificate
                {
                    Serial = serial,
                    IssuerId = parent.Issuer.Id,
                    CommonName = DistinguishedNames.CommonName(subject),
                    NotBefore = template.NotBefore,
                    NotAfter = template.NotAfter,
                    CertificateDer = der,
                    IssuedAt = now,
                },
                cancellationToken).ConfigureAwait(false);
            return new SignedCertificate(serial, der, parent.Chain.Select(c => c.Issuer.CertificateDer).ToList());
        }, (signed, e) => e with { Serial = signed.Serial }, new AuditEvent { Time = default, Actor = actor, Operation = string.Empty, Outcome = string.Empty, IssuerId = issuerRef }, cancellationToken);

    /// <summary>
    /// Imports CA certificates from a PEM bundle. A certificate whose public key matches a key the server
    /// holds becomes a signing issuer (set-signed); any other becomes chain-only. Private keys are refused.
    /// </summary>
    public Task<ImportResult> ImportAsync(string pemBundle, string? name, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "issuer.import", async () =>
        {
            var blocks = Pem.ReadAllOrThrow(pemBundle, "pem_bundle");
            if (blocks.Any(b => b.Label.Contains("PRIVATE KEY", StringComparison.Ordinal)))
            {
                throw PkiException.Malformed("pem_bundle holds a private key: keys are never imported; generate them in a custody (software, pkcs11) and import only certificates");
            }

            var certificates = blocks.Where(b => b.Label == "CERTIFICATE").Select(b => b.Der).ToList();
            if (certificates.Count == 0)
            {
                throw PkiException.Malformed("pem_bundle holds no CERTIFICATE block");
            }

            if (name is not null)
            {
                ValidateName(name);
                if (certificates.Count > 1)
                {
                    throw PkiException.Malformed("a name can only be given when importing a single certificate");
                }
            }

            var existing = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            var keys = await _store.ListKeysAsync(cancellationToken).ConfigureAwait(false);
            var imported = new List<Issuer>();
            var present = new List<Issuer>();
            foreach (var der in certificates)
            {
                var same = existing.FirstOrDefault(i => i.CertificateDer.AsSpan().SequenceEqual(der));
                if (same is not null)
                {
                    present.Add(same);
                    continue;
                }

                var certificate = LoadCaCertificate(der);
                var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
                var key = keys.FirstOrDefault(k => k.SubjectPublicKeyInfo.AsSpan().SequenceEqual(spki));
                var issuerName = name ?? UniqueName(DistinguishedNames.CommonName(certificate.SubjectName) ?? "issuer", existing.Concat(imported));
                var issuer = NewIssuer(issuerName, der, key?.Id, new IssuerSettings());
                var makeDefault = await _store.GetDefaultIdAsync(cancellationToken).ConfigureAwait(false) is null && key is not null;
                await _store.AddAsync(issuer, null, makeDefault, cancellationToken).ConfigureAwait(false);
                imported.Add(issuer);
            }

            _catalog.Invalidate();
            return new ImportResult(imported, present);
        }, (result, e) => e with { Detail = $"imported={string.Join(',', result.Imported.Select(i => i.Id))} present={result.AlreadyPresent.Count}" }, null, cancellationToken);

    public Task<Issuer> UpdateAsync(string issuerRef, IssuerUpdate update, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "issuer.update", async () =>
        {
            var snapshot = await FreshSnapshotAsync(cancellationToken).ConfigureAwait(false);
            var current = snapshot.Resolve(issuerRef).Issuer;
            if (update.Name is not null)
            {
                ValidateName(update.Name);
            }

            IReadOnlyList<string>? manualChain = current.ManualChain;
            if (update.ManualChain is not null)
            {
                manualChain = update.ManualChain.Count == 0 ? null : update.ManualChain.Select(r => snapshot.Resolve(r).Issuer.Id).ToList();
                if (manualChain is not null && manualChain[0] != current.Id)
                {
                    throw PkiException.Malformed("manual_chain must start with the issuer itself");
                }

                if (manualChain is not null && manualChain.Distinct(StringComparer.Ordinal).Count() != manualChain.Count)
                {
                    throw PkiException.Malformed("manual_chain names an issuer twice");
                }
            }

            var updated = current with
            {
                Name = update.Name ?? current.Name,
                LeafNotAfterBehavior = update.LeafNotAfterBehavior ?? current.LeafNotAfterBehavior,
                Usage = update.Usage ?? current.Usage,
                Urls = update.Urls ?? current.Urls,
                ManualChain = manualChain,
            };
            ValidateUrls(updated.Urls);
            await _store.UpdateAsync(updated, cancellationToken).ConfigureAwait(false);
            _catalog.Invalidate();
            return updated;
        }, (issuer, e) => e with { IssuerId = issuer.Id, Detail = $"name={issuer.Name} usage={issuer.Usage} leaf_not_after_behavior={issuer.LeafNotAfterBehavior}" }, null, cancellationToken);

    public Task SetDefaultAsync(string issuerRef, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "issuer.set_default", async () =>
        {
            var issuer = (await FreshSnapshotAsync(cancellationToken).ConfigureAwait(false)).Resolve(issuerRef);
            if (issuer.Key is null)
            {
                throw PkiException.Malformed($"issuer '{issuer.Issuer.Name}' is chain-only (the server has no key for it) and cannot be the default issuer");
            }

            await _store.SetDefaultIdAsync(issuer.Issuer.Id, cancellationToken).ConfigureAwait(false);
            _catalog.Invalidate();
            return issuer.Issuer.Id;
        }, (id, e) => e with { IssuerId = id }, null, cancellationToken);

    /// <summary>Removes an issuer record. Its key stays (it may be reused by a reissued certificate).</summary>
    public Task DeleteAsync(string issuerRef, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "issuer.delete", async () =>
        {
            var issuer = (await FreshSnapshotAsync(cancellationToken).ConfigureAwait(false)).Resolve(issuerRef);
            await _store.DeleteAsync(issuer.Issuer.Id, cancellationToken).ConfigureAwait(false);
            _catalog.Invalidate();
            return issuer.Issuer.Id;
        }, (id, e) => e with { IssuerId = id }, null, cancellationToken);

    /// <summary>Deletes a key record and destroys the key in its custody. Refused while an issuer uses it.</summary>
    public Task DeleteKeyAsync(string keyId, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "key.delete", async () =>
        {
            var key = await _store.GetKeyAsync(keyId, cancellationToken).ConfigureAwait(false)
                ?? throw PkiException.NotFound($"key '{keyId}' does not exist");
            if (!await _store.DeleteKeyAsync(keyId, cancellationToken).ConfigureAwait(false))
            {
                throw PkiException.NotFound($"key '{keyId}' does not exist");
            }

            await _keys.DeleteAsync(key.KeyReference, cancellationToken).ConfigureAwait(false);
            _catalog.Invalidate();
            return key.Id;
        }, (id, e) => e with { Detail = $"key={id}" }, null, cancellationToken);

    private async Task<IssuerSnapshot> FreshSnapshotAsync(CancellationToken cancellationToken)
    {
        _catalog.Invalidate(); // operator writes must act on the store's truth, not a cached view
        return await _catalog.GetAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IssuerContext> SigningIssuerAsync(string issuerRef, CancellationToken cancellationToken)
    {
        var issuer = (await _catalog.GetAsync(cancellationToken).ConfigureAwait(false)).Resolve(issuerRef);
        if (issuer.Key is null)
        {
            throw PkiException.Malformed($"issuer '{issuer.Issuer.Name}' is chain-only: the server has no key for it");
        }

        if (!issuer.Issuer.Usage.HasFlag(IssuerUsage.Issuing))
        {
            throw new PkiException(PkiErrorKind.PolicyRefused, $"issuer '{issuer.Issuer.Name}' does not have the issuing usage", [new("usage", issuer.Issuer.Name, "issuing usage is off for this issuer")]);
        }

        return issuer;
    }

    private async Task<(ISigner Signer, IssuerKey Key, bool Generated)> AcquireKeyAsync(CaKeyRequest request, string label, CancellationToken cancellationToken)
    {
        if (request.ExistingKeyReference is { Length: > 0 } reference)
        {
            var known = (await _store.ListKeysAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(k => k.KeyReference == reference);
            var opened = await _keys.OpenAsync(reference, cancellationToken).ConfigureAwait(false);
            return (opened, known ?? NewKey(label, opened), false);
        }

        var signer = await _keys.GenerateAsync(request.Custody, request.KeySpec, label, cancellationToken).ConfigureAwait(false);
        return (signer, NewKey(label, signer), true);
    }

    private IssuerKey NewKey(string name, ISigner signer) => new()
    {
        Id = NewId(),
        Name = name,
        KeyReference = signer.KeyReference,
        KeySpec = signer.KeySpec,
        SubjectPublicKeyInfo = signer.SubjectPublicKeyInfo.ToArray(),
        CreatedAt = _time.GetUtcNow(),
    };

    private Issuer NewIssuer(string name, byte[] der, string? keyId, IssuerSettings settings)
    {
        ValidateUrls(settings.Urls);
        return new Issuer
        {
            Id = NewId(),
            Name = name,
            CertificateDer = der,
            KeyId = keyId,
            LeafNotAfterBehavior = settings.LeafNotAfterBehavior,
            Usage = settings.Usage,
            Urls = settings.Urls,
            CreatedAt = _time.GetUtcNow(),
        };
    }

    private static async Task<byte[]> CsrAsync(X500DistinguishedName subject, ISigner signer, CancellationToken cancellationToken)
    {
        var info = X509Signing.WriteCertificationRequestInfo(subject, signer.SubjectPublicKeyInfo.Span, []);
        return await X509Signing.SignAsync(info, signer, signer.KeySpec.DefaultSignatureAlgorithm, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureNameFreeAsync(string name, CancellationToken cancellationToken)
    {
        if (await _store.FindByNameAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw PkiException.Conflict($"an issuer named '{name}' already exists");
        }
    }

    private static X509Certificate2 LoadCaCertificate(byte[] der)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException ex)
        {
            throw PkiException.Malformed("pem_bundle holds a certificate that cannot be parsed: " + ex.Message);
        }

        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is null || !constraints.CertificateAuthority)
        {
            throw PkiException.Malformed($"'{certificate.Subject}' is not a CA certificate (basicConstraints cA is not true)");
        }

        return certificate;
    }

    // Boulder's lesson: never hand out a certificate whose signature the key did not make.
    private static void EnsureSignedBy(byte[] certificateDer, ReadOnlySpan<byte> spki, SignatureAlgorithm algorithm)
    {
        var reader = new System.Formats.Asn1.AsnReader(certificateDer, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var tbs = reader.ReadEncodedValue();
        reader.ReadEncodedValue();
        var signature = reader.ReadBitString(out _);
        if (!PublicKeys.Verify(spki, algorithm, tbs.Span, signature))
        {
            throw new PkiException(PkiErrorKind.Unavailable, "the key custody returned a signature that does not verify");
        }
    }

    private static void ValidateName(string name)
    {
        if (!RoleValidator.IsValidName(name) || string.Equals(name, "default", StringComparison.OrdinalIgnoreCase))
        {
            throw PkiException.Malformed($"name '{name}' must be 1-128 characters of letters, digits, '-', '_' or '.', and not 'default'");
        }
    }

    private static void ValidateConstraints(CaConstraints constraints)
    {
        if (constraints.Ttl <= TimeSpan.Zero || constraints.Ttl > Durations.Maximum)
        {
            throw PkiException.Malformed("ttl must be positive and at most 100 years");
        }

        foreach (var domain in constraints.PermittedDnsDomains)
        {
            if (!Hostnames.IsValid(domain.TrimStart('.')))
            {
                throw PkiException.Malformed($"permitted_dns_domains entry '{domain}' is not a domain name");
            }
        }
    }

    private static void ValidateUrls(IssuerUrls urls)
    {
        foreach (var url in urls.IssuingCertificates.Concat(urls.CrlDistributionPoints).Concat(urls.OcspServers))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "ldap"))
            {
                throw PkiException.Malformed($"'{url}' is not an absolute http, https or ldap URL");
            }
        }
    }

    private static string UniqueName(string baseName, IEnumerable<Issuer> taken)
    {
        var clean = new string(baseName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()).Trim('-');
        clean = clean.Length == 0 ? "issuer" : clean[..Math.Min(clean.Length, 100)];
        var names = taken.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var candidate = clean;
        for (var i = 2; names.Contains(candidate) || string.Equals(candidate, "default", StringComparison.OrdinalIgnoreCase); i++)
        {
            candidate = $"{clean}-{i}";
        }

        return candidate;
    }

    private static string SerialOf(byte[] der) => SerialNumbers.ToHex(X509CertificateLoader.LoadCertificate(der).SerialNumberBytes.Span);

    internal static string NewId() => Guid.NewGuid().ToString("D");
}
