using System.Text.Json;
using System.Text.Json.Serialization;

namespace PkiProtocolServer.Acme.Http;

/// <summary>The JSON form of ACME resources on the wire (RFC 8555 7.1): camelCase members, lower-case statuses, nulls omitted.</summary>
public static class AcmeJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
