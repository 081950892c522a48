using System.Diagnostics;

namespace PkiProtocolServer.Tests.Support;

/// <summary>Relying-party steps shared by the revocation tests: OCSP requests made by openssl, CRL checks by openssl.</summary>
public static class Revocations
{
    /// <summary>A DER OCSP request for <paramref name="leafPem"/> written by <c>openssl ocsp -reqout</c>.</summary>
    public static byte[] OcspRequest(Openssl openssl, string leafPem, string issuerPem, bool nonce = false)
    {
        var name = Guid.NewGuid().ToString("N");
        openssl.RunOk("ocsp", "-issuer", openssl.File(name + "-issuer.pem", issuerPem), "-cert", openssl.File(name + ".pem", leafPem),
            nonce ? "-nonce" : "-no_nonce", "-reqout", openssl.PathOf(name + ".req"));
        return File.ReadAllBytes(openssl.PathOf(name + ".req"));
    }

    /// <summary>Posts an OCSP request and returns the response bytes, asserting HTTP 200 and the OCSP media type.</summary>
    public static async Task<byte[]> PostOcspAsync(HttpClient client, byte[] request)
    {
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/ocsp-request");
        using var response = await client.PostAsync("/ocsp", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ocsp-response", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>openssl verifies the response against the root and prints the leaf's status line.</summary>
    public static string OpensslStatus(Openssl openssl, byte[] response, string leafPem, string issuerPem, string rootPem)
    {
        var name = Guid.NewGuid().ToString("N");
        var output = openssl.RunOk("ocsp", "-respin", WriteBytes(openssl, name + ".resp", response), "-issuer", openssl.File(name + "-issuer.pem", issuerPem),
            "-CAfile", openssl.File(name + "-root.pem", rootPem), "-no_nonce", "-cert", openssl.File(name + ".pem", leafPem));
        Assert.Contains("Response verify OK", output);
        return output;
    }

    /// <summary><c>openssl verify -crl_check</c> with a DER CRL; returns the exit code and output.</summary>
    public static (int ExitCode, string Output) VerifyWithCrl(Openssl openssl, string leafPem, string issuerPem, string rootPem, byte[] crlDer)
    {
        var name = Guid.NewGuid().ToString("N");
        openssl.RunOk("crl", "-inform", "DER", "-in", WriteBytes(openssl, name + ".crl", crlDer), "-out", openssl.PathOf(name + ".crl.pem"));
        return openssl.Run("verify", "-crl_check", "-CAfile", openssl.File(name + "-root.pem", rootPem), "-untrusted", openssl.File(name + "-int.pem", issuerPem),
            "-CRLfile", openssl.PathOf(name + ".crl.pem"), openssl.File(name + ".pem", leafPem));
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes (background work has its own pace).</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return await condition();
    }

    /// <summary>The path of a certificate's CRL distribution point URL (the server's own /crl/... path).</summary>
    public static string CdpPath(string leafPem)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(leafPem);
        var cdp = certificate.Extensions["2.5.29.31"]!;
        var url = Core.Revocation.Crl.CrlShards.DistributionPointUris(cdp.RawData).Single();
        return new Uri(url).AbsolutePath;
    }

    public static string WriteBytes(Openssl openssl, string name, byte[] bytes)
    {
        var path = openssl.PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
