using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PkiProtocolServer.Storage.Redis.Documents;

/// <summary>
/// Instants as UTC ISO 8601 to the millisecond (<c>2026-03-14T13:09:26.535Z</c>): readable in redis-cli, and
/// the same precision the embedded store keeps, so both providers hand back identical values.
/// </summary>
internal sealed class UtcMillisecondsConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Truncate(reader.GetDateTimeOffset());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Truncate(value).UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));

    private static DateTimeOffset Truncate(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
