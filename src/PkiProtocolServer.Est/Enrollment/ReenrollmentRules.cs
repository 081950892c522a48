using System.Net;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Est.Errors;

namespace PkiProtocolServer.Est.Enrollment;

/// <summary>
/// RFC 7030 4.2.2: a re-enrollment renews the identity of the certificate the client authenticated with: "the Subject
/// field and SubjectAltName extension MUST be identical". Checked on what the renewed certificate would carry (the
/// subject this CA writes from the CSR's common name and the role, and the CSR's SANs plus its common name, as
/// issuance adds it), compared with what the current certificate carries.
/// </summary>
public static class ReenrollmentRules
{
    public static void EnsureSameIdentity(X509Certificate2 current, CertificationRequest csr, Role role)
    {
        var renewed = DistinguishedNames.Build(csr.CommonName, role.Organization, role.OrganizationalUnit, role.Country);
        // The CSR may repeat the whole subject, or give just the common name (the rest comes from the role, as at issuance).
        if (!SameName(renewed, current.SubjectName) || (!SameName(csr.Subject, current.SubjectName) && !SameName(csr.Subject, DistinguishedNames.Build(csr.CommonName))))
        {
            throw EstException.Forbidden(
                $"simplereenroll renews the certificate the client authenticated with, so the subject must stay '{current.Subject}' (RFC 7030 4.2.2); the CSR asks for '{csr.Subject.Name}'");
        }

        var currentNames = Names(CurrentSans(current), DistinguishedNames.CommonName(current.SubjectName));
        var requestedNames = Names(csr.Names, csr.CommonName);
        if (!currentNames.SetEquals(requestedNames))
        {
            throw EstException.Forbidden(
                "simplereenroll renews the certificate the client authenticated with, so its subjectAltNames must stay the same (RFC 7030 4.2.2); "
                + $"the certificate names [{string.Join(", ", currentNames.Order(StringComparer.Ordinal))}], the CSR [{string.Join(", ", requestedNames.Order(StringComparer.Ordinal))}]");
        }
    }

    private static SubjectNames CurrentSans(X509Certificate2 certificate) =>
        certificate.Extensions[GeneralNames.SubjectAltNameOid] is { } san ? GeneralNames.Read(san.RawData) : SubjectNames.Empty;

    /// <summary>The names a certificate carries, as this CA writes them: the SANs plus the common name, normalised.</summary>
    private static HashSet<string> Names(SubjectNames sans, string? commonName)
    {
        var names = new HashSet<string>(sans.Describe().Select(Normalise), StringComparer.Ordinal);
        names.UnionWith(sans.Unsupported.Select(kind => "other:" + kind));
        if (!string.IsNullOrEmpty(commonName))
        {
            names.Add(IPAddress.TryParse(commonName, out var ip) ? "ip:" + ip
                : commonName.Contains('@', StringComparison.Ordinal) ? "email:" + commonName.ToLowerInvariant()
                : "dns:" + commonName.ToLowerInvariant());
        }

        return names;
    }

    private static string Normalise(string described) =>
        described.StartsWith("dns:", StringComparison.Ordinal) || described.StartsWith("email:", StringComparison.Ordinal) ? described.ToLowerInvariant() : described;

    /// <summary>Same RDNs in the same order, each the same attribute type and value (string encodings may differ).</summary>
    private static bool SameName(X500DistinguishedName a, X500DistinguishedName b)
    {
        var left = a.EnumerateRelativeDistinguishedNames().ToList();
        var right = b.EnumerateRelativeDistinguishedNames().ToList();
        return left.Count == right.Count && left.Zip(right).All(pair => SameRdn(pair.First, pair.Second));
    }

    private static bool SameRdn(X500RelativeDistinguishedName a, X500RelativeDistinguishedName b) =>
        a.HasMultipleElements || b.HasMultipleElements
            ? a.RawData.Span.SequenceEqual(b.RawData.Span)
            : a.GetSingleElementType().Value == b.GetSingleElementType().Value && a.GetSingleElementValue() == b.GetSingleElementValue();
}
