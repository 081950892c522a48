using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>DER CSRs as ACME clients send them in finalize (base64url).</summary>
public static class Csrs
{
    /// <summary>A P-256 CSR with these DNS names and IP addresses as SANs and no subject.</summary>
    public static string For(params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Build(new CertificateRequest(new X500DistinguishedName(string.Empty), key, HashAlgorithmName.SHA256), names);
    }

    public static string Build(CertificateRequest request, params string[] names)
    {
        var sans = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                sans.AddIpAddress(ip);
            }
            else
            {
                sans.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(sans.Build());
        return TestKey.B64(request.CreateSigningRequest());
    }
}
