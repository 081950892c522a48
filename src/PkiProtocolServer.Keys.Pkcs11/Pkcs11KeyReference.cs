using System.Globalization;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// A parsed <c>pkcs11:token=...;object=...;id=...</c> reference. The object may be named by CKA_LABEL
/// (<c>object</c>), by CKA_ID in hex (<c>id</c>), or both, so an operator can point at a key made with
/// <c>pkcs11-tool</c> or the vendor's tools. <c>token</c> is optional and, when present, must be the
/// configured token.
/// </summary>
internal sealed record Pkcs11KeyReference(string? Token, string? ObjectLabel, byte[]? Id)
{
    public const string Scheme = "pkcs11";

    public static string Build(string token, string? objectLabel, byte[] id) =>
        KeyReference.Build(Scheme, ("token", token), ("object", objectLabel), ("id", Convert.ToHexStringLower(id)));

    public static Pkcs11KeyReference Parse(string reference)
    {
        if (KeyReference.Scheme(reference) != Scheme)
        {
            throw PkiException.Malformed($"'{reference}' is not a PKCS#11 key reference (pkcs11:token=...;object=...;id=...)");
        }

        var attributes = KeyReference.Attributes(reference);
        attributes.TryGetValue("token", out var token);
        attributes.TryGetValue("object", out var label);
        byte[]? id = null;
        if (attributes.TryGetValue("id", out var hex) && hex.Length > 0)
        {
            id = ParseHexId(reference, hex);
        }

        if (string.IsNullOrEmpty(label) && id is null)
        {
            throw PkiException.Malformed($"PKCS#11 key reference '{reference}' names no key: give object=<label> and/or id=<hex CKA_ID>");
        }

        return new Pkcs11KeyReference(string.IsNullOrEmpty(token) ? null : token, string.IsNullOrEmpty(label) ? null : label, id);
    }

    /// <summary>Accepts hex with or without ':' separators (pkcs11-tool prints <c>0a0b</c>, some tools <c>0a:0b</c>).</summary>
    private static byte[] ParseHexId(string reference, string hex)
    {
        var digits = hex.Replace(":", "", StringComparison.Ordinal);
        if (digits.Length % 2 != 0 || !digits.All(char.IsAsciiHexDigit))
        {
            throw PkiException.Malformed($"PKCS#11 key reference '{reference}': id '{hex}' is not hex (CKA_ID as pkcs11-tool prints it, e.g. id=0a0b)");
        }

        return Convert.FromHexString(digits);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"token={Token ?? "(configured)"}, object={ObjectLabel ?? "(any)"}, id={(Id is null ? "(any)" : Convert.ToHexStringLower(Id))}");
}
