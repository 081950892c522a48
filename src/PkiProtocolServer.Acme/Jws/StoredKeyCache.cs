using System.Collections.Concurrent;

namespace PkiProtocolServer.Acme.Jws;

/// <summary>
/// Parsed account keys by their canonical JSON, so a request signed with <c>kid</c> verifies with a key already
/// loaded instead of parsing, checking and loading it into OpenSSL again (which cost more than the verification).
/// The text is the key, so a key change simply looks up a new entry. Bounded: when full it starts over, which
/// costs one parse per active account.
/// </summary>
internal static class StoredKeyCache
{
    /// <summary>Entries kept before the cache starts over.</summary>
    public const int Capacity = 10_000;

    private static readonly ConcurrentDictionary<string, JsonWebKey> Keys = new(StringComparer.Ordinal);

    public static JsonWebKey GetOrParse(string canonicalJson, Func<string, JsonWebKey> parse)
    {
        if (Keys.TryGetValue(canonicalJson, out var key))
        {
            return key;
        }

        // Parse outside the dictionary: a key that fails to parse throws and is never cached.
        key = parse(canonicalJson);
        if (Keys.Count >= Capacity)
        {
            Keys.Clear();
        }

        return Keys.GetOrAdd(canonicalJson, key);
    }
}
