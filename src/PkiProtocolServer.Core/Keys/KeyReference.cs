using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Keys;

/// <summary>
/// Key references are data, not objects: <c>scheme:attribute=value;attribute=value</c>
/// (<c>software:id=4f2a</c>, <c>pkcs11:token=ca;object=root;id=01ab</c>). Values are percent-encoded
/// the way RFC 7512 PKCS#11 URIs encode them.
/// </summary>
public static class KeyReference
{
    public static string Scheme(string reference)
    {
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw PkiException.Malformed($"key reference '{reference}' has no custody scheme (expected e.g. 'pkcs11:token=...;object=...')");
        }

        return reference[..colon].ToLowerInvariant();
    }

    public static IReadOnlyDictionary<string, string> Attributes(string reference)
    {
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        var body = colon < 0 ? reference : reference[(colon + 1)..];
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in body.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw PkiException.Malformed($"key reference attribute '{part}' is not name=value");
            }

            result[part[..eq].Trim()] = Uri.UnescapeDataString(part[(eq + 1)..]);
        }

        return result;
    }

    public static string Build(string scheme, params (string Name, string? Value)[] attributes) =>
        scheme + ":" + string.Join(';', attributes
            .Where(a => !string.IsNullOrEmpty(a.Value))
            .Select(a => a.Name + "=" + Uri.EscapeDataString(a.Value!)));
}
