using System.Text;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Est.Tests.Wire;

public sealed class ServerKeyGenResponseTests
{
    [Fact]
    public void The_answer_is_multipart_mixed_with_the_key_part_first_then_the_certificate_each_base64()
    {
        byte[] key = [1, 2, 3, 4, 5];
        byte[] cms = [9, 8, 7];

        var (contentType, body) = ServerKeyGenResponse.Build(key, cms);

        Assert.StartsWith("multipart/mixed; boundary=", contentType);
        var boundary = contentType["multipart/mixed; boundary=".Length..];
        var parts = Encoding.ASCII.GetString(body).Split("--" + boundary);
        Assert.Equal(4, parts.Length); // preamble, key, certificate, closing "--"
        Assert.Contains("Content-Type: application/pkcs8\r\nContent-Transfer-Encoding: base64\r\n\r\n", parts[1]);
        Assert.Equal(key, Convert.FromBase64String(parts[1].Split("\r\n\r\n")[1].Trim()));
        Assert.Contains("Content-Type: application/pkcs7-mime; smime-type=certs-only\r\n", parts[2]);
        Assert.Equal(cms, Convert.FromBase64String(parts[2].Split("\r\n\r\n")[1].Trim()));
        Assert.Equal("--\r\n", parts[3]);
    }

    [Fact]
    public void Each_answer_has_its_own_boundary()
    {
        Assert.NotEqual(ServerKeyGenResponse.Build([1], [2]).ContentType, ServerKeyGenResponse.Build([1], [2]).ContentType);
    }
}
