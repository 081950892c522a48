using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Tidy;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Admin.Contracts;

/// <summary>Body of <c>POST /api/v1/revoke</c>: a stored certificate's serial, or the certificate itself (bring your own certificate).</summary>
public sealed record RevokeBody
{
    public string? SerialNumber { get; init; }

    /// <summary>PEM (or base64 DER) certificate: revokes a no_store certificate, which has no record here.</summary>
    public string? Certificate { get; init; }

    /// <summary><c>key_compromise</c>, <c>keyCompromise</c> or the RFC 5280 code as text; unspecified when absent.</summary>
    public string? Reason { get; init; }

    /// <summary>When the key is known or suspected to have been compromised (RFC 3339).</summary>
    public DateTimeOffset? InvalidityDate { get; init; }
}

/// <summary>Body of <c>POST /api/v1/issuers/{ref}/revoke</c>: a certificate that issuer signed.</summary>
public sealed record IssuerRevokeBody
{
    public required string Certificate { get; init; }

    public string? Reason { get; init; }

    public DateTimeOffset? InvalidityDate { get; init; }
}

/// <summary>
/// Body of <c>POST /api/v1/revoke-with-key</c>: the certificate and proof of its key, either a <c>signature</c>
/// (base64) over <c>pkiprotocolserver-revoke:{serial}:{signed_at}</c> with <c>signed_at</c> in unix seconds, or the
/// <c>private_key</c> in PEM as Vault takes it.
/// </summary>
public sealed record RevokeWithKeyBody
{
    public required string Certificate { get; init; }

    public string? PrivateKey { get; init; }

    public string? Signature { get; init; }

    public long? SignedAt { get; init; }

    public string? Reason { get; init; }

    public KeyPossessionProof Proof()
    {
        if ((PrivateKey is null) == (Signature is null))
        {
            throw PkiException.Malformed("give exactly one of private_key (PEM) or signature (base64, with signed_at)");
        }

        if (PrivateKey is not null)
        {
            return new PrivateKeyProof(PrivateKey);
        }

        if (SignedAt is null)
        {
            throw PkiException.Malformed("signed_at (unix seconds) is required with signature");
        }

        try
        {
            return new SignatureProof(Convert.FromBase64String(Signature!), SignedAt.Value);
        }
        catch (FormatException)
        {
            throw PkiException.Malformed("signature is not base64");
        }
    }
}

/// <summary>Body of <c>POST /api/v1/tidy</c>; everything optional.</summary>
public sealed record TidyBody
{
    /// <summary>Override of <c>Pki:Revocation:Tidy:SafetyBuffer</c>, as a duration (<c>72h</c>, <c>3d</c>).</summary>
    public string? SafetyBuffer { get; init; }
}

public sealed record RevocationView
{
    public required string SerialNumber { get; init; }

    public required string IssuerId { get; init; }

    public required string State { get; init; }

    /// <summary>Unix seconds, as Vault reports it.</summary>
    public required long RevocationTime { get; init; }

    public required DateTimeOffset RevocationTimeRfc3339 { get; init; }

    public required string Reason { get; init; }

    public required int ReasonCode { get; init; }

    public DateTimeOffset? InvalidityDate { get; init; }

    public int? CrlShard { get; init; }

    public static RevocationView From(RevocationEntry entry) => new()
    {
        SerialNumber = entry.Serial,
        IssuerId = entry.IssuerId,
        State = "revoked",
        RevocationTime = entry.RevokedAt.ToUnixTimeSeconds(),
        RevocationTimeRfc3339 = entry.RevokedAt,
        Reason = RevocationReasons.Name(entry.Reason),
        ReasonCode = (int)entry.Reason,
        InvalidityDate = entry.InvalidityDate,
        CrlShard = entry.Shard,
    };
}

public sealed record CrlView(string IssuerId, int? Shard, bool Delta, long CrlNumber, long? BaseCrlNumber, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, long Entries)
{
    public static CrlView From(CrlInfo info) => new(info.IssuerId, info.Shard, info.IsDelta, info.Number, info.BaseNumber, info.ThisUpdate, info.NextUpdate, info.EntryCount);
}

public sealed record TidyView(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Node,
    string Actor,
    string SafetyBuffer,
    DateTimeOffset Cutoff,
    long CertificatesRemoved,
    long RevocationsRemoved,
    long OcspResponsesRemoved,
    long OcspRespondersRemoved)
{
    public static TidyView From(TidyReport report) => new(
        report.StartedAt, report.FinishedAt, report.Node, report.Actor, Core.Durations.Format(report.SafetyBuffer), report.Cutoff,
        report.CertificatesRemoved, report.RevocationsRemoved, report.OcspResponsesRemoved, report.OcspRespondersRemoved);
}

internal static class RevocationInput
{
    public static byte[] Certificate(string text) =>
        Pem.DecodeOne(System.Text.Encoding.ASCII.GetBytes(text), "CERTIFICATE", "certificate");
}
