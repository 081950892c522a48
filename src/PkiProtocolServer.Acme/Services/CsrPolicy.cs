using System.Net;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// What finalize demands of a CSR (RFC 8555 7.4): its names - subjectAltNames and the common name - are exactly the
/// order's identifiers, no more, no fewer; it asks for DNS names and IP addresses only; its key is not the account
/// key. Every difference is a badCSR subproblem naming the identifier.
/// </summary>
public static class CsrPolicy
{
    public static void Check(CertificationRequest csr, AcmeOrder order, JsonWebKey accountKey)
    {
        var problems = new List<AcmeProblem>();
        var requested = new HashSet<AcmeIdentifier>();
        foreach (var dns in csr.Names.DnsNames)
        {
            requested.Add(new AcmeIdentifier(AcmeIdentifier.Dns, dns.ToLowerInvariant()));
        }

        foreach (var ip in csr.Names.IpAddresses)
        {
            requested.Add(new AcmeIdentifier(AcmeIdentifier.Ip, ip.ToString()));
        }

        if (!string.IsNullOrEmpty(csr.CommonName))
        {
            var cn = IPAddress.TryParse(csr.CommonName, out var address) && csr.CommonName.Contains(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? '.' : ':')
                ? new AcmeIdentifier(AcmeIdentifier.Ip, address.ToString())
                : new AcmeIdentifier(AcmeIdentifier.Dns, csr.CommonName.ToLowerInvariant());
            if (!order.Identifiers.Contains(cn))
            {
                problems.Add(AcmeProblemTable.Problem(AcmeErrorType.BadCsr, $"the CSR's common name '{csr.CommonName}' is not an identifier of the order", cn));
            }
        }

        foreach (var extra in requested.Where(r => !order.Identifiers.Contains(r)))
        {
            problems.Add(AcmeProblemTable.Problem(AcmeErrorType.BadCsr, $"the CSR asks for {extra.Type} '{extra.Value}', which the order does not have", extra));
        }

        foreach (var missing in order.Identifiers.Where(i => !requested.Contains(i)))
        {
            problems.Add(AcmeProblemTable.Problem(AcmeErrorType.BadCsr, $"the CSR lacks the order's {missing.Type} identifier '{missing.Value}' in its subjectAltName", missing));
        }

        foreach (var kind in csr.Names.Uris.Select(_ => "URI").Concat(csr.Names.Emails.Select(_ => "email")).Concat(csr.Names.Unsupported).Distinct())
        {
            problems.Add(AcmeProblemTable.Problem(AcmeErrorType.BadCsr, $"the CSR asks for a {kind} subjectAltName; ACME orders issue DNS names and IP addresses only"));
        }

        if (csr.SubjectPublicKeyInfo.AsSpan().SequenceEqual(accountKey.SubjectPublicKeyInfo()))
        {
            problems.Add(AcmeProblemTable.Problem(AcmeErrorType.BadCsr, "the CSR's key is the account key; certify a different key (RFC 8555 11.1)"));
        }

        if (problems.Count > 0)
        {
            throw new AcmeException(
                AcmeErrorType.BadCsr,
                problems.Count == 1 ? problems[0].Detail : "the CSR does not match the order: " + string.Join("; ", problems.Select(p => p.Detail)),
                subproblems: problems);
        }
    }
}
