using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using PkiProtocolServer.Core.Coordination;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Ocsp;

namespace PkiProtocolServer.Storage.Redis.Documents;

/// <summary>Source-generated JSON for the revocation stores' documents, with the options of <see cref="RedisJson"/>.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(RevocationDocument))]
[JsonSerializable(typeof(CrlInfoDocument))]
[JsonSerializable(typeof(OcspResponderDocument))]
[JsonSerializable(typeof(OcspResponseDocument))]
[JsonSerializable(typeof(StatusDocumentDocument))]
internal sealed partial class RedisRevocationJsonContext : JsonSerializerContext
{
    /// <summary>The same escaping and instant format as <see cref="RedisJson.Context"/>.</summary>
    public static RedisRevocationJsonContext Instance { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcMillisecondsConverter() },
    });
}

/// <summary>
/// A revocation as stored under <c>revocation:&lt;serial&gt;</c>. The sequence is written by the add script (it is
/// only known there), so it is left out when zero.
/// </summary>
internal sealed record RevocationDocument
{
    [JsonPropertyName("sequence")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Sequence { get; init; }

    [JsonPropertyName("serial")]
    public required string Serial { get; init; }

    [JsonPropertyName("issuer_id")]
    public required string IssuerId { get; init; }

    [JsonPropertyName("revoked_at")]
    public required DateTimeOffset RevokedAt { get; init; }

    [JsonPropertyName("reason")]
    public RevocationReason Reason { get; init; }

    [JsonPropertyName("invalidity_date")]
    public DateTimeOffset? InvalidityDate { get; init; }

    [JsonPropertyName("not_after")]
    public required DateTimeOffset NotAfter { get; init; }

    [JsonPropertyName("shard")]
    public int? Shard { get; init; }

    [JsonPropertyName("certificate_der")]
    public byte[]? CertificateDer { get; init; }

    public static RevocationDocument From(RevocationEntry entry) => new()
    {
        Serial = entry.Serial,
        IssuerId = entry.IssuerId,
        RevokedAt = entry.RevokedAt,
        Reason = entry.Reason,
        InvalidityDate = entry.InvalidityDate,
        NotAfter = entry.NotAfter,
        Shard = entry.Shard,
        CertificateDer = entry.CertificateDer,
    };

    public RevocationEntry ToEntry() => new()
    {
        Serial = Serial,
        IssuerId = IssuerId,
        Sequence = Sequence,
        RevokedAt = RevokedAt,
        Reason = Reason,
        InvalidityDate = InvalidityDate,
        NotAfter = NotAfter,
        Shard = Shard,
        CertificateDer = CertificateDer,
    };
}

/// <summary>The description of a published CRL, field <c>info</c> of <c>crl:&lt;issuer&gt;:&lt;slot&gt;</c>.</summary>
internal sealed record CrlInfoDocument
{
    [JsonPropertyName("issuer_id")]
    public required string IssuerId { get; init; }

    [JsonPropertyName("shard")]
    public int? Shard { get; init; }

    [JsonPropertyName("is_delta")]
    public bool IsDelta { get; init; }

    [JsonPropertyName("number")]
    public required long Number { get; init; }

    [JsonPropertyName("base_number")]
    public long? BaseNumber { get; init; }

    [JsonPropertyName("this_update")]
    public required DateTimeOffset ThisUpdate { get; init; }

    [JsonPropertyName("next_update")]
    public required DateTimeOffset NextUpdate { get; init; }

    [JsonPropertyName("max_sequence")]
    public required long MaxSequence { get; init; }

    [JsonPropertyName("entry_count")]
    public required long EntryCount { get; init; }

    public static CrlInfoDocument From(CrlInfo info) => new()
    {
        IssuerId = info.IssuerId,
        Shard = info.Shard,
        IsDelta = info.IsDelta,
        Number = info.Number,
        BaseNumber = info.BaseNumber,
        ThisUpdate = info.ThisUpdate,
        NextUpdate = info.NextUpdate,
        MaxSequence = info.MaxSequence,
        EntryCount = info.EntryCount,
    };

    public CrlInfo ToInfo() => new()
    {
        IssuerId = IssuerId,
        Shard = Shard,
        IsDelta = IsDelta,
        Number = Number,
        BaseNumber = BaseNumber,
        ThisUpdate = ThisUpdate,
        NextUpdate = NextUpdate,
        MaxSequence = MaxSequence,
        EntryCount = EntryCount,
    };
}

/// <summary>A delegated OCSP responder, a value of the hash <c>ocsp-responders</c>.</summary>
internal sealed record OcspResponderDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("issuer_id")]
    public required string IssuerId { get; init; }

    [JsonPropertyName("key_reference")]
    public required string KeyReference { get; init; }

    [JsonPropertyName("certificate_der")]
    public required byte[] CertificateDer { get; init; }

    [JsonPropertyName("not_before")]
    public required DateTimeOffset NotBefore { get; init; }

    [JsonPropertyName("not_after")]
    public required DateTimeOffset NotAfter { get; init; }

    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }

    public static OcspResponderDocument From(OcspResponderRecord record) => new()
    {
        Id = record.Id,
        IssuerId = record.IssuerId,
        KeyReference = record.KeyReference,
        CertificateDer = record.CertificateDer,
        NotBefore = record.NotBefore,
        NotAfter = record.NotAfter,
        CreatedAt = record.CreatedAt,
    };

    public OcspResponderRecord ToRecord() => new()
    {
        Id = Id,
        IssuerId = IssuerId,
        KeyReference = KeyReference,
        CertificateDer = CertificateDer,
        NotBefore = NotBefore,
        NotAfter = NotAfter,
        CreatedAt = CreatedAt,
    };
}

/// <summary>A pre-signed OCSP response as stored under <c>ocsp:&lt;cert id key&gt;</c>.</summary>
internal sealed record OcspResponseDocument
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("cert_id_der")]
    public required byte[] CertIdDer { get; init; }

    [JsonPropertyName("issuer_id")]
    public required string IssuerId { get; init; }

    [JsonPropertyName("serial")]
    public required string Serial { get; init; }

    [JsonPropertyName("status")]
    public required OcspCertStatus Status { get; init; }

    [JsonPropertyName("this_update")]
    public required DateTimeOffset ThisUpdate { get; init; }

    [JsonPropertyName("next_update")]
    public required DateTimeOffset NextUpdate { get; init; }

    [JsonPropertyName("refresh_at")]
    public required DateTimeOffset RefreshAt { get; init; }

    [JsonPropertyName("response_der")]
    public required byte[] ResponseDer { get; init; }

    public static OcspResponseDocument From(CachedOcspResponse response) => new()
    {
        Key = response.Key,
        CertIdDer = response.CertIdDer,
        IssuerId = response.IssuerId,
        Serial = response.Serial,
        Status = response.Status,
        ThisUpdate = response.ThisUpdate,
        NextUpdate = response.NextUpdate,
        RefreshAt = response.RefreshAt,
        ResponseDer = response.ResponseDer,
    };

    public CachedOcspResponse ToResponse() => new()
    {
        Key = Key,
        CertIdDer = CertIdDer,
        IssuerId = IssuerId,
        Serial = Serial,
        Status = Status,
        ThisUpdate = ThisUpdate,
        NextUpdate = NextUpdate,
        RefreshAt = RefreshAt,
        ResponseDer = ResponseDer,
    };
}

/// <summary>A status document as stored under <c>status:&lt;name&gt;</c>; the document itself is kept as a string.</summary>
internal sealed record StatusDocumentDocument
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("document")]
    public required string Json { get; init; }

    [JsonPropertyName("updated_at")]
    public required DateTimeOffset UpdatedAt { get; init; }

    public static StatusDocumentDocument From(StatusDocument status) => new() { Name = status.Name, Json = status.Json, UpdatedAt = status.UpdatedAt };

    public StatusDocument ToStatus() => new(Name, Json, UpdatedAt);
}
