using System.Security.Cryptography;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Acme.Services;

/// <summary>Creates, lists and deletes External Account Binding keys for the operator (the admin API calls it).</summary>
public sealed class ExternalAccountKeyService
{
    private readonly IExternalAccountKeyStore _store;
    private readonly AcmeDirectories _directories;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    public ExternalAccountKeyService(IExternalAccountKeyStore store, AcmeDirectories directories, IAuditLog audit, TimeProvider time)
    {
        _store = store;
        _directories = directories;
        _audit = audit;
        _time = time;
    }

    /// <summary>A new key for a directory; its HMAC key is in the result and nowhere else the operator can read it again.</summary>
    public Task<ExternalAccountKey> CreateAsync(string? directory, string? label, TimeSpan? ttl, string actor, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrEmpty(directory) ? AcmePaths.DefaultDirectory : directory;
        return _audit.AuditedAsync(_time, actor, "acme.eab_key.create", async () =>
        {
            if (!_directories.Exists(name))
            {
                throw PkiException.NotFound($"no ACME directory is named '{name}'");
            }

            if (ttl is { } t && (t <= TimeSpan.Zero || t > TimeSpan.FromDays(3650)))
            {
                throw PkiException.Malformed("ttl must be positive and at most 10 years");
            }

            if (label is { Length: > 200 })
            {
                throw PkiException.Malformed("label must be at most 200 characters");
            }

            var now = _time.GetUtcNow();
            var key = new ExternalAccountKey
            {
                Id = "eab-" + AcmeIds.New(),
                Directory = name,
                HmacKey = RandomNumberGenerator.GetBytes(32),
                Label = label,
                CreatedAt = now,
                ExpiresAt = ttl is { } lifetime ? now + lifetime : null,
            };
            await _store.AddAsync(key, cancellationToken).ConfigureAwait(false);
            return key;
        }, (key, e) => e with { Detail = $"eab key {key.Id} for directory {key.Directory}" }, null, cancellationToken);
    }

    public Task<IReadOnlyList<ExternalAccountKey>> ListAsync(string? directory, CancellationToken cancellationToken) =>
        _store.ListAsync(directory, cancellationToken);

    public Task DeleteAsync(string id, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "acme.eab_key.delete", async () =>
        {
            if (!await _store.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
            {
                throw PkiException.NotFound($"external account key '{id}' does not exist");
            }

            return id;
        }, (key, e) => e with { Detail = $"eab key {id}" }, null, cancellationToken);

    /// <summary>The HMAC key as clients take it (certbot <c>--eab-hmac-key</c>, lego <c>--hmac</c>): base64url.</summary>
    public static string EncodeHmacKey(ExternalAccountKey key) => Base64UrlText.Encode(key.HmacKey);
}
