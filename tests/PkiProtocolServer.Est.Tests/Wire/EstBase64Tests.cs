using System.Text;
using PkiProtocolServer.Est.Errors;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Est.Tests.Wire;

public sealed class EstBase64Tests
{
    private static readonly byte[] Der = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();

    [Theory]
    [InlineData("none")]
    [InlineData("lf")]
    [InlineData("crlf")]
    [InlineData("spaces")]
    public void Base64_with_or_without_line_breaks_decodes_to_the_same_bytes(string breaks)
    {
        var text = Convert.ToBase64String(Der);
        var body = breaks switch
        {
            "lf" => string.Join("\n", text.Chunk(64).Select(c => new string(c))) + "\n",
            "crlf" => string.Join("\r\n", text.Chunk(76).Select(c => new string(c))) + "\r\n",
            "spaces" => "  " + string.Join(" \t", text.Chunk(10).Select(c => new string(c))) + "\r\n\r\n",
            _ => text,
        };

        Assert.Equal(Der, EstBase64.Decode(Encoding.ASCII.GetBytes(body), "the CSR"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n ")]
    [InlineData("not base64 at all!")]
    [InlineData("MIIB*AAA")]
    [InlineData("MIIBAAA")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n")]
    public void Malformed_base64_is_a_400_that_says_so(string body)
    {
        var e = Assert.Throws<EstException>(() => EstBase64.Decode(Encoding.ASCII.GetBytes(body), "the CSR"));

        Assert.Equal(400, e.Status);
        Assert.Contains("the CSR", e.Message);
    }

    [Fact]
    public void Raw_der_sent_without_base64_is_refused()
    {
        var e = Assert.Throws<EstException>(() => EstBase64.Decode(Der, "the CSR"));

        Assert.Equal(400, e.Status);
    }

    [Fact]
    public void Encoded_bodies_are_lines_of_at_most_64_characters_that_decode_back()
    {
        var text = EstBase64.Encode(Der);

        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.InRange(line.Length, 1, 64));
        Assert.DoesNotContain('\r', text);
        Assert.Equal(Der, Convert.FromBase64String(text.Replace("\n", string.Empty, StringComparison.Ordinal)));
    }
}
