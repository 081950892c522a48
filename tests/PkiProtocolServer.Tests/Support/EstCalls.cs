using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Tests.Support;

/// <summary>An EST answer as a device sees it.</summary>
public sealed record EstResponse(int Status, IHeaderDictionary Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? ContentType => Headers.ContentType.ToString() is { Length: > 0 } type ? type : null;

    /// <summary>The certificates of a base64 certs-only body.</summary>
    public IReadOnlyList<X509Certificate2> Certificates()
    {
        Assert.True(Status == 200, $"expected 200, got {Status}: {Text}");
        Assert.Equal(EstMediaTypes.CertsOnly, ContentType);
        Assert.Equal("base64", Headers["Content-Transfer-Encoding"].ToString());
        return CertsOnly.Decode(Convert.FromBase64String(Text)).Select(der => X509CertificateLoader.LoadCertificate(der)).ToList();
    }

    public X509Certificate2 Certificate() => Assert.Single(Certificates());

    /// <summary>Asserts an RFC 9457 problem with this status (and type) and returns it.</summary>
    public JsonNode Problem(int status, string? type = null)
    {
        Assert.True(Status == status, $"expected {status}, got {Status}: {Text}");
        Assert.Equal("application/problem+json", ContentType);
        var problem = JsonNode.Parse(Text)!;
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        if (type is not null)
        {
            Assert.Equal(Support.Problem.TypePrefix + type, problem["type"]!.GetValue<string>());
        }

        return problem;
    }
}

/// <summary>A device's key and CSR.</summary>
public sealed class DeviceKey : IDisposable
{
    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A PKCS#10 request (DER) for <paramref name="subject"/> (<c>CN=...</c>) with DNS SANs and an optional challengePassword.</summary>
    public byte[] Csr(string subject, string[]? dnsNames = null, string? challengePassword = null)
    {
        var request = new CertificateRequest(subject, Key, HashAlgorithmName.SHA256);
        if (dnsNames is { Length: > 0 })
        {
            var sans = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                sans.AddDnsName(name);
            }

            request.CertificateExtensions.Add(sans.Build());
        }

        if (challengePassword is not null)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, challengePassword);
            request.OtherRequestAttributes.Add(new AsnEncodedData("1.2.840.113549.1.9.7", writer.Encode()));
        }

        return request.CreateSigningRequest();
    }

    /// <summary>The certificate joined with this key, usable as a TLS client certificate.</summary>
    public X509Certificate2 WithKey(X509Certificate2 certificate)
    {
        using var joined = certificate.CopyWithPrivateKey(Key);
        return X509CertificateLoader.LoadPkcs12(joined.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => Key.Dispose();
}

/// <summary>EST requests through the in-process server, as a device would send them.</summary>
public static class EstCalls
{
    public const string Password = "test-only EST default password";

    /// <summary>A server with a known default EST password and cheaper (still PBKDF2, minimum cost) hashes.</summary>
    public static PkiServerFactory Configure(this PkiServerFactory factory)
    {
        factory.Settings["Pki:Est:DefaultPassword"] = Password;
        factory.Settings["Pki:Est:PasswordHashIterations"] = "100000";
        return factory;
    }

    public static string Base64(byte[] der) => Convert.ToBase64String(der);

    public static async Task<EstResponse> EstAsync(this PkiServerFactory factory, string method, string path, string? body = null,
        (string User, string Password)? basic = null, X509Certificate2? clientCertificate = null, string? contentType = EstMediaTypes.Pkcs10, bool https = true)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Scheme = https ? "https" : "http";
            c.Request.Host = new HostString("localhost");
            c.Request.Path = path;
            if (basic is { } credentials)
            {
                c.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.User + ":" + credentials.Password));
            }

            if (body is not null)
            {
                var bytes = Encoding.ASCII.GetBytes(body);
                c.Request.Body = new MemoryStream(bytes);
                c.Request.ContentLength = bytes.Length;
                if (contentType is not null)
                {
                    c.Request.ContentType = contentType;
                }
            }

            c.Connection.ClientCertificate = clientCertificate;
        });
        using var buffer = new MemoryStream();
        await context.Response.Body.CopyToAsync(buffer);
        return new EstResponse(context.Response.StatusCode, context.Response.Headers, buffer.ToArray());
    }

    public static Task<EstResponse> EnrollAsync(this PkiServerFactory factory, byte[] csr, string path = "/.well-known/est/simpleenroll",
        (string User, string Password)? basic = null, X509Certificate2? clientCertificate = null) =>
        factory.EstAsync("POST", path, Base64(csr), basic, clientCertificate);

    public static (string, string) DefaultUser => ("est", Password);
}
