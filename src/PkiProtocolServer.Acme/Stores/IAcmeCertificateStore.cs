using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Stores;

/// <summary>Certificates issued through ACME, for download, kept until they expire (owned by the ACME front end).</summary>
public interface IAcmeCertificateStore
{
    /// <summary>Records a certificate; Conflict when the id exists.</summary>
    Task AddAsync(AcmeCertificate certificate, CancellationToken cancellationToken);

    Task<AcmeCertificate?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>By serial (lower-case hex), for revocation by certificate.</summary>
    Task<AcmeCertificate?> FindBySerialAsync(string serial, CancellationToken cancellationToken);

    /// <summary>Removes certificates whose NotAfter is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
