using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PkiProtocolServer.Core.Roles;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Documents;

/// <summary>
/// Source-generated JSON for the stored documents. Enums are written by name (flags as
/// <c>"CrlSigning, OcspSigning"</c>) so reordering an enum never changes stored meaning; byte arrays are
/// base64; instants are UTC ISO 8601 with milliseconds.
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(IssuerKeyDocument))]
[JsonSerializable(typeof(IssuerDocument))]
[JsonSerializable(typeof(RoleDocument))]
[JsonSerializable(typeof(CertificateDocument))]
internal sealed partial class RedisJsonContext : JsonSerializerContext;

/// <summary>Writes and reads the stored documents as UTF-8 JSON values.</summary>
internal static class RedisJson
{
    /// <summary>
    /// Non-ASCII text is written as itself rather than <c>\u</c> escapes, so names read naturally in
    /// redis-cli (the values never reach HTML, the only place the stricter escaping protects). Options given
    /// here replace the generated ones, so the instant converter is named again.
    /// </summary>
    public static RedisJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcMillisecondsConverter() },
    });

    public static RedisValue Write<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    /// <summary>Reads a stored document; one that does not parse is corrupt data, not bad input.</summary>
    public static T Read<T>(RedisValue value, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize((byte[])value!, type) ?? throw new InvalidDataException($"stored {what} is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"stored {what} is not valid: {e.Message}", e);
        }
    }
}
