using System.Security.Cryptography;
using System.Text;

namespace PkiProtocolServer.Est.Wire;

/// <summary>
/// The serverkeygen answer (RFC 7030 4.4.2, RFC 8951 3.3): <c>multipart/mixed</c> with the private key first, as an
/// unencrypted PKCS#8 <c>application/pkcs8</c> part (TLS protects it in transit), then the certificate as a certs-only
/// CMS part; each part base64 with <c>Content-Transfer-Encoding: base64</c>.
/// </summary>
public static class ServerKeyGenResponse
{
    /// <summary>The body and its Content-Type (with the boundary).</summary>
    public static (string ContentType, byte[] Body) Build(byte[] pkcs8, byte[] certsOnly)
    {
        // RFC 2046 5.1.1: a boundary that cannot occur in base64 text (it contains '_', which base64 never does).
        var boundary = "est_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var text = new StringBuilder()
            .Append("--").Append(boundary).Append("\r\n")
            .Append("Content-Type: ").Append(EstMediaTypes.Pkcs8).Append("\r\n")
            .Append(EstMediaTypes.TransferEncodingHeader).Append(": base64\r\n\r\n")
            .Append(EstBase64.Encode(pkcs8))
            .Append("--").Append(boundary).Append("\r\n")
            .Append("Content-Type: ").Append(EstMediaTypes.CertsOnly).Append("\r\n")
            .Append(EstMediaTypes.TransferEncodingHeader).Append(": base64\r\n\r\n")
            .Append(EstBase64.Encode(certsOnly))
            .Append("--").Append(boundary).Append("--\r\n");
        return ($"{EstMediaTypes.MultipartMixed}; boundary={boundary}", Encoding.ASCII.GetBytes(text.ToString()));
    }
}
