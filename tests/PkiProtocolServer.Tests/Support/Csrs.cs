using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PkiProtocolServer.Tests.Support;

/// <summary>PKCS#10 requests made with .NET's own CertificateRequest.</summary>
public static class Csrs
{
    public static string Ec(string commonName, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Build(new CertificateRequest(Subject(commonName), key, HashAlgorithmName.SHA256), dnsNames);
    }

    public static string Rsa(int bits, string commonName, params string[] dnsNames)
    {
        using var key = RSA.Create(bits);
        return Build(new CertificateRequest(Subject(commonName), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), dnsNames);
    }

    /// <summary>A valid request whose signature no longer matches: one bit of the signature flipped.</summary>
    public static string TamperedSignature(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = new CertificateRequest(Subject(commonName), key, HashAlgorithmName.SHA256).CreateSigningRequest();
        der[^5] ^= 0x01; // inside the signature's last INTEGER
        return PemEncoding.WriteString("CERTIFICATE REQUEST", der);
    }

    /// <summary>A request whose signed content was changed after signing (a different subject).</summary>
    public static string TamperedSubject(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = new CertificateRequest(Subject(commonName), key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var at = der.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(commonName));
        der[at] ^= 0x01; // 'w' becomes 'v': same length, still valid DER
        return PemEncoding.WriteString("CERTIFICATE REQUEST", der);
    }

    private static X500DistinguishedName Subject(string commonName) => new("CN=" + commonName);

    private static string Build(CertificateRequest request, string[] dnsNames)
    {
        if (dnsNames.Length > 0)
        {
            var sans = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                sans.AddDnsName(name);
            }

            request.CertificateExtensions.Add(sans.Build());
        }

        return request.CreateSigningRequestPem();
    }
}
