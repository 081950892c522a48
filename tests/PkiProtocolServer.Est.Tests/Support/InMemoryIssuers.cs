using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Issuers;

namespace PkiProtocolServer.Est.Tests.Support;

/// <summary>An issuer store holding chain-only issuers, enough for an <see cref="IssuerCatalog"/> to recognise them.</summary>
public sealed class InMemoryIssuers : IIssuerStore
{
    private readonly List<Issuer> _issuers = [];

    public static IssuerCatalog Catalog(params X509Certificate2[] certificates)
    {
        var store = new InMemoryIssuers();
        foreach (var certificate in certificates)
        {
            store._issuers.Add(new Issuer { Id = Guid.NewGuid().ToString(), Name = certificate.Subject, CertificateDer = certificate.RawData, CreatedAt = DateTimeOffset.UtcNow });
        }

        return new IssuerCatalog(store, TimeProvider.System);
    }

    public Task<IReadOnlyList<Issuer>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Issuer>>(_issuers);

    public Task<IReadOnlyList<IssuerKey>> ListKeysAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<IssuerKey>>([]);

    public Task<string?> GetDefaultIdAsync(CancellationToken cancellationToken) => Task.FromResult(_issuers.FirstOrDefault()?.Id);

    public Task<IssuerKey?> GetKeyAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task AddKeyAsync(IssuerKey key, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> DeleteKeyAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Issuer?> GetAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Issuer?> FindByNameAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task AddAsync(Issuer issuer, IssuerKey? newKey, bool makeDefault, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task UpdateAsync(Issuer issuer, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task SetDefaultIdAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
}
