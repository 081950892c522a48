using System.Text.Json.Serialization;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Storage.Redis.Documents;

/// <summary>An issuer key as stored in the <c>issuer-keys</c> hash. Property names are the stored format.</summary>
internal sealed record IssuerKeyDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("key_reference")]
    public required string KeyReference { get; init; }

    /// <summary>As <see cref="KeySpec.ToString"/> writes it: <c>rsa-2048</c>, <c>ec-384</c>, <c>ed25519</c>.</summary>
    [JsonPropertyName("key_spec")]
    public required string KeySpec { get; init; }

    [JsonPropertyName("subject_public_key_info")]
    public required byte[] SubjectPublicKeyInfo { get; init; }

    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }

    public static IssuerKeyDocument From(IssuerKey key) => new()
    {
        Id = key.Id,
        Name = key.Name,
        KeyReference = key.KeyReference,
        KeySpec = key.KeySpec.ToString(),
        SubjectPublicKeyInfo = key.SubjectPublicKeyInfo,
        CreatedAt = key.CreatedAt,
    };

    public IssuerKey ToKey() => new()
    {
        Id = Id,
        Name = Name,
        KeyReference = KeyReference,
        KeySpec = Core.Keys.KeySpec.FromName(KeySpec),
        SubjectPublicKeyInfo = SubjectPublicKeyInfo,
        CreatedAt = CreatedAt,
    };
}
