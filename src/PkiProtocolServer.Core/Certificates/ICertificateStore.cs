namespace PkiProtocolServer.Core.Certificates;

/// <summary>Durable store of issued certificates, owned by the core.</summary>
public interface ICertificateStore
{
    /// <summary>Records a certificate durably. Conflict if the serial exists (a serial is never reused).</summary>
    Task AddAsync(IssuedCertificate certificate, CancellationToken cancellationToken);

    /// <summary>By serial in lower-case hex.</summary>
    Task<IssuedCertificate?> GetAsync(string serial, CancellationToken cancellationToken);

    /// <summary>A page of certificates ordered by serial, starting after <paramref name="afterSerial"/>.</summary>
    Task<IReadOnlyList<IssuedCertificate>> ListAsync(string? afterSerial, int limit, CancellationToken cancellationToken);

    /// <summary>Removes up to <paramref name="limit"/> certificates that expired before <paramref name="notAfterBefore"/> (tidy); returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset notAfterBefore, int limit, CancellationToken cancellationToken);
}
