using System.Text;
using System.Text.Json;
using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme.Jws;

/// <summary>
/// A JWS in the flattened JSON serialization (RFC 7515 7.2.2), the only form ACME accepts (RFC 8555 6.2): exactly
/// <c>protected</c>, <c>payload</c> and <c>signature</c>, no unprotected header, one signature.
/// </summary>
public sealed class FlattenedJws
{
    private FlattenedJws(string protectedText, string payloadText, byte[] payload, byte[] signature, JwsHeader header)
    {
        ProtectedText = protectedText;
        PayloadText = payloadText;
        Payload = payload;
        Signature = signature;
        Header = header;
    }

    /// <summary>The base64url protected header as sent (part of the signing input).</summary>
    public string ProtectedText { get; }

    /// <summary>The base64url payload as sent; empty for POST-as-GET.</summary>
    public string PayloadText { get; }

    public byte[] Payload { get; }

    public byte[] Signature { get; }

    public JwsHeader Header { get; }

    /// <summary>ASCII(protected || '.' || payload), what was signed (RFC 7515 5.2).</summary>
    public byte[] SigningInput => Encoding.ASCII.GetBytes(ProtectedText + "." + PayloadText);

    public static FlattenedJws Parse(ReadOnlySpan<byte> body) => Parse(ParseObject(body, "the request body"), "the request");

    /// <summary>Reads a JWS nested in a payload (External Account Binding, keyChange), named <paramref name="what"/> in errors.</summary>
    public static FlattenedJws Parse(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw AcmeException.Malformed($"{what} must be a JWS object in flattened JSON serialization");
        }

        string? protectedText = null;
        string? payloadText = null;
        string? signatureText = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "protected": protectedText = StringOf(property, what); break;
                case "payload": payloadText = StringOf(property, what); break;
                case "signature": signatureText = StringOf(property, what); break;
                case "header":
                    throw AcmeException.Malformed($"{what} has an unprotected header; RFC 8555 6.2 allows only the protected header");
                case "signatures":
                    throw AcmeException.Malformed($"{what} uses the general JWS serialization; send the flattened JSON serialization (RFC 8555 6.2)");
                default:
                    throw AcmeException.Malformed($"{what} has an unknown member \"{property.Name}\"; a flattened JWS has protected, payload and signature only");
            }
        }

        if (protectedText is null || payloadText is null || signatureText is null)
        {
            throw AcmeException.Malformed($"{what} must have \"protected\", \"payload\" and \"signature\"");
        }

        if (!Base64UrlText.TryDecode(protectedText, out var protectedBytes) || protectedBytes.Length == 0)
        {
            throw AcmeException.Malformed($"the protected header of {what} is not base64url");
        }

        if (!Base64UrlText.TryDecode(payloadText, out var payload))
        {
            throw AcmeException.Malformed($"the payload of {what} is not base64url");
        }

        if (!Base64UrlText.TryDecode(signatureText, out var signature) || signature.Length == 0)
        {
            throw AcmeException.Malformed($"the signature of {what} is not base64url");
        }

        var header = JwsHeader.Parse(ParseObject(protectedBytes, $"the protected header of {what}"), what);
        return new FlattenedJws(protectedText, payloadText, payload, signature, header);
    }

    /// <summary>Parses JSON that must be one object; duplicate member names are refused (RFC 7515 5.2 allows refusing them).</summary>
    public static JsonElement ParseObject(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw AcmeException.Malformed($"{what} must be a JSON object");
            }

            RefuseDuplicates(document.RootElement, what);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw AcmeException.Malformed($"{what} is not valid JSON: {e.Message}");
        }
    }

    private static void RefuseDuplicates(JsonElement element, string what)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!names.Add(property.Name))
                    {
                        throw AcmeException.Malformed($"{what} has the member \"{property.Name}\" twice");
                    }

                    RefuseDuplicates(property.Value, what);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    RefuseDuplicates(item, what);
                }

                break;
        }
    }

    private static string StringOf(JsonProperty property, string what) =>
        property.Value.ValueKind == JsonValueKind.String
            ? property.Value.GetString()!
            : throw AcmeException.Malformed($"\"{property.Name}\" of {what} must be a string");
}
