using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Storage.Sqlite.Documents;

/// <summary>
/// Source-generated JSON for the document columns. Enums are written by name (flags as
/// <c>"CrlSigning, OcspSigning"</c>) so reordering an enum never changes stored meaning.
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(IssuerSettingsDocument))]
[JsonSerializable(typeof(RoleDocument))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;

/// <summary>Writes and reads the document columns.</summary>
internal static class StoreJson
{
    public static string Write<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    /// <summary>Reads a stored document; a column that does not parse is corrupt data, not bad input.</summary>
    public static T Read<T>(string json, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"stored {what} is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"stored {what} is not valid: {e.Message}", e);
        }
    }
}
