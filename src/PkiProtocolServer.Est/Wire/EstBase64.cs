using System.Buffers.Text;
using System.Text;
using PkiProtocolServer.Est.Errors;

namespace PkiProtocolServer.Est.Wire;

/// <summary>
/// The base64 body encoding of EST. RFC 8951 section 3.1: bodies are always base64 (RFC 4648), with or without line
/// breaks, whatever Content-Transfer-Encoding says; the header is ignored on input.
/// </summary>
public static class EstBase64
{
    /// <summary>Output lines of 64 characters: within RFC 2045's 76, and what <c>openssl base64 -d</c> reads.</summary>
    private const int LineLength = 64;

    /// <summary>Decodes a request body: whitespace anywhere is dropped, then the rest must be base64 of something.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> body, string what)
    {
        var compact = new byte[body.Length];
        var length = 0;
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                compact[length++] = b;
            }
        }

        if (length == 0)
        {
            throw EstException.BadRequest("malformed", $"the request body is empty; {what} must be sent as base64 (RFC 8951 3.1)");
        }

        if (compact.AsSpan(0, length).StartsWith("-----BEGIN"u8))
        {
            throw EstException.BadRequest("malformed", $"{what} is PEM; EST sends base64 of the DER without PEM armour (RFC 8951 3.1)");
        }

        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(length)];
        var status = Base64.DecodeFromUtf8(compact.AsSpan(0, length), decoded, out var consumed, out var written);
        if (status != System.Buffers.OperationStatus.Done || consumed != length || written == 0)
        {
            throw EstException.BadRequest("malformed", $"{what} is not valid base64 (RFC 8951 3.1: the body is base64 of the DER, with or without line breaks)");
        }

        return decoded.AsSpan(0, written).ToArray();
    }

    /// <summary>
    /// Encodes a response body: base64 in lines of 64 characters, each ended by LF. LF rather than MIME's CRLF: RFC 8951
    /// lets clients expect either, and common decoders (coreutils <c>base64 -d</c>) refuse a CR.
    /// </summary>
    public static string Encode(ReadOnlySpan<byte> der)
    {
        var text = Convert.ToBase64String(der);
        var builder = new StringBuilder(text.Length + (text.Length / LineLength * 2) + 2);
        for (var i = 0; i < text.Length; i += LineLength)
        {
            builder.Append(text, i, Math.Min(LineLength, text.Length - i)).Append('\n');
        }

        return builder.ToString();
    }
}
