using System.Text.Json;
using System.Text.Json.Serialization;

namespace PkiProtocolServer.Acme.Stores;

/// <summary>
/// The JSON form of the ACME aggregates for providers that store documents (SQLite, Redis): camelCase, statuses as
/// lower-case strings, nulls omitted. Every provider uses this one form, so data means the same in each.
/// </summary>
public static class AcmeDocumentJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"a stored {typeof(T).Name} document is empty");
}
