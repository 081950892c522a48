using System.Buffers.Text;

namespace PkiProtocolServer.Acme.Jws;

/// <summary>Strict base64url (RFC 7515 2, RFC 8555 6.1): the URL-safe alphabet without padding, nothing else.</summary>
public static class Base64UrlText
{
    public static string Encode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>Decodes, or returns false for padding, whitespace, the standard alphabet's <c>+</c>/<c>/</c>, or an impossible length.</summary>
    public static bool TryDecode(string? text, out byte[] data)
    {
        data = [];
        if (text is null || text.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        try
        {
            data = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
