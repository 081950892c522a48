using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Est.Errors;
using PkiProtocolServer.Est.Tests.Support;

namespace PkiProtocolServer.Est.Tests.Enrollment;

public sealed class ReenrollmentRulesTests
{
    private static readonly X509Certificate2 Ca = TestCertificates.Root("Reenroll CA");
    private static readonly Role Role = new() { Name = "devices" };

    private static CertificationRequest Csr(string subject, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (dnsNames.Length > 0)
        {
            var sans = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                sans.AddDnsName(name);
            }

            request.CertificateExtensions.Add(sans.Build());
        }

        return CertificationRequest.ParseDer(request.CreateSigningRequest());
    }

    [Fact]
    public void A_csr_repeating_the_subject_and_sans_of_the_current_certificate_renews_it()
    {
        using var current = TestCertificates.Leaf(Ca, "device-1", ["device-1", "device-1.local"]);

        ReenrollmentRules.EnsureSameIdentity(current, Csr("CN=device-1", "device-1.local", "device-1"), Role);
    }

    [Fact]
    public void The_common_name_counts_as_a_san_on_both_sides_as_issuance_adds_it()
    {
        using var current = TestCertificates.Leaf(Ca, "device-1", ["device-1"]);

        ReenrollmentRules.EnsureSameIdentity(current, Csr("CN=device-1"), Role);
    }

    [Fact]
    public void Another_subject_is_refused_with_403()
    {
        using var current = TestCertificates.Leaf(Ca, "device-1", ["device-1"]);

        var e = Assert.Throws<EstException>(() => ReenrollmentRules.EnsureSameIdentity(current, Csr("CN=device-2", "device-1"), Role));

        Assert.Equal(403, e.Status);
        Assert.Contains("subject", e.Message);
    }

    [Fact]
    public void An_added_san_is_refused_with_403_naming_both_sets()
    {
        using var current = TestCertificates.Leaf(Ca, "device-1", ["device-1"]);

        var e = Assert.Throws<EstException>(() => ReenrollmentRules.EnsureSameIdentity(current, Csr("CN=device-1", "device-1", "admin.example.com"), Role));

        Assert.Equal(403, e.Status);
        Assert.Contains("dns:admin.example.com", e.Message);
    }

    [Fact]
    public void A_subject_with_attributes_the_role_would_not_write_is_refused()
    {
        using var current = TestCertificates.Leaf(Ca, "device-1", ["device-1"]);

        Assert.Throws<EstException>(() => ReenrollmentRules.EnsureSameIdentity(current, Csr("CN=device-1, O=Elsewhere"), Role));
    }
}
