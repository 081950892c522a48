using Microsoft.Extensions.Options;
using PkiProtocolServer.Configuration;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Bootstrap;

/// <summary>
/// On a server with no issuer, creates a development root and an intermediate signed by it (the
/// default issuer), so the embedded default works out of the box. Never runs once any issuer exists.
/// </summary>
public sealed partial class DevelopmentCa
{
    public const string Actor = "system:bootstrap";

    private readonly IssuerService _issuers;
    private readonly IssuerCatalog _catalog;
    private readonly PkiOptions _options;
    private readonly ILogger<DevelopmentCa> _logger;

    public DevelopmentCa(IssuerService issuers, IssuerCatalog catalog, IOptions<PkiOptions> options, ILogger<DevelopmentCa> logger)
    {
        _issuers = issuers;
        _catalog = catalog;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Returns true when it created the CA now.</summary>
    public async Task<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        if (!_options.DevelopmentCa.Enabled || (await _catalog.GetAsync(cancellationToken)).All.Count > 0)
        {
            return false;
        }

        var spec = KeySpec.Parse(_options.DevelopmentCa.KeyType, _options.DevelopmentCa.KeyBits);
        var host = _options.PublicHost;
        var root = await _issuers.GenerateRootAsync(
            new GenerateRootRequest
            {
                Name = "dev-root",
                Key = new CaKeyRequest { CommonName = $"PkiProtocolServer Development Root ({host})", KeySpec = spec, Organization = ["PkiProtocolServer development"] },
                Constraints = new CaConstraints { Ttl = TimeSpan.FromDays(3650) },
            },
            Actor,
            cancellationToken);
        await _issuers.UpdateAsync(root.Id, new IssuerUpdate { Urls = UrlsFor(root.Id) }, Actor, cancellationToken);

        var csr = await _issuers.GenerateIntermediateAsync(
            new GenerateIntermediateRequest
            {
                KeyName = "dev-intermediate",
                Key = new CaKeyRequest { CommonName = $"PkiProtocolServer Development Intermediate ({host})", KeySpec = spec, Organization = ["PkiProtocolServer development"] },
            },
            Actor,
            cancellationToken);
        var signed = await _issuers.SignIntermediateAsync(
            root.Id,
            new SignIntermediateRequest { Csr = csr.CsrDer, Constraints = new CaConstraints { Ttl = TimeSpan.FromDays(1825), MaxPathLength = 0 } },
            Actor,
            cancellationToken);
        var imported = await _issuers.ImportAsync(Core.X509.Pem.Encode("CERTIFICATE", signed.CertificateDer), "dev-intermediate", Actor, cancellationToken);
        var intermediate = imported.Imported.Single();
        await _issuers.UpdateAsync(intermediate.Id, new IssuerUpdate { Urls = UrlsFor(intermediate.Id), LeafNotAfterBehavior = LeafNotAfterBehavior.Truncate }, Actor, cancellationToken);
        await _issuers.SetDefaultAsync(intermediate.Id, Actor, cancellationToken);
        LogCreated(_logger, root.Id, intermediate.Id, spec.ToString());
        return true;
    }

    // AIA caIssuers, the CRL distribution point and the OCSP responder, all over plain HTTP (RFC 5280 4.2.2.1, 4.2.1.13; RFC 6960).
    private IssuerUrls UrlsFor(string issuerId) => new()
    {
        IssuingCertificates = [$"http://{_options.PublicHost}:{_options.HttpPort}/issuers/{issuerId}.der"],
        CrlDistributionPoints = [$"http://{_options.PublicHost}:{_options.HttpPort}/crl/{issuerId}.crl"],
        OcspServers = [$"http://{_options.PublicHost}:{_options.HttpPort}/ocsp"],
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created a DEVELOPMENT CA: root {RootId}, intermediate {IntermediateId} (default issuer), {KeySpec} keys in software custody. Do not use it for production.")]
    private static partial void LogCreated(ILogger logger, string rootId, string intermediateId, string keySpec);
}
