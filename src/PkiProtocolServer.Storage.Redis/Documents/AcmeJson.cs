using System.Text;
using System.Text.Json;
using PkiProtocolServer.Acme.Stores;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Documents;

/// <summary>
/// The ACME records as stored: the ACME front end's own document form (<see cref="AcmeDocumentJson"/>: camelCase
/// names, statuses as lower-case strings, nulls omitted), which the SQLite provider stores too, so an ACME record
/// means the same in either provider. The field names are fixed by the model's property names; renaming one is a
/// layout change (bump <see cref="RedisKeys.FormatVersion"/>).
/// </summary>
internal static class AcmeJson
{
    public static RedisValue Write<T>(T value) => AcmeDocumentJson.Serialize(value);

    /// <summary>Reads a stored document; one that does not parse is corrupt data, not bad input.</summary>
    public static T Read<T>(RedisValue value, string what)
    {
        try
        {
            return AcmeDocumentJson.Deserialize<T>(Encoding.UTF8.GetString((byte[])value!));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"stored {what} is not valid: {e.Message}", e);
        }
    }
}
