using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Acme.Tests.Model;

/// <summary>The one mapping from errors to ACME problem documents (RFC 8555 6.7).</summary>
public sealed class ProblemTableTests
{
    [Fact]
    public void Every_acme_error_type_has_a_urn_and_a_client_or_server_status()
    {
        foreach (var type in Enum.GetValues<AcmeErrorType>())
        {
            Assert.StartsWith("urn:ietf:params:acme:error:", AcmeProblemTable.Urn(type));
            Assert.InRange(AcmeProblemTable.StatusOf(type), 400, 599);
        }

        Assert.Equal("urn:ietf:params:acme:error:badCSR", AcmeProblemTable.Urn(AcmeErrorType.BadCsr));
    }

    [Fact]
    public void Every_core_error_kind_maps_and_only_unavailable_is_a_server_status()
    {
        foreach (var kind in Enum.GetValues<PkiErrorKind>())
        {
            var problem = AcmeProblemTable.From(new PkiException(kind, "x"));
            Assert.StartsWith("urn:ietf:params:acme:error:", problem.Type);
            Assert.True(kind == PkiErrorKind.Unavailable ? problem.Status == 503 : problem.Status < 500, $"{kind} -> {problem.Status}");
        }
    }

    [Fact]
    public void A_role_refusal_becomes_rejectedIdentifier_with_a_subproblem_per_name_and_a_key_refusal_badCSR()
    {
        var names = AcmeProblemTable.From(PkiException.Refused([new("allowed_domains", "evil.example.net", "no"), new("allow_ip_sans", "192.0.2.1", "no")]));
        var key = AcmeProblemTable.From(PkiException.Refused([new("key_bits", "rsa-2048", "too small")]));

        Assert.Equal(AcmeProblemTable.Urn(AcmeErrorType.RejectedIdentifier), names.Type);
        Assert.Equal([("dns", "evil.example.net"), ("ip", "192.0.2.1")], names.Subproblems!.Select(s => (s.Identifier!.Type, s.Identifier.Value)));
        Assert.Equal(AcmeProblemTable.Urn(AcmeErrorType.BadCsr), key.Type);
    }

    [Fact]
    public void BadSignatureAlgorithm_lists_the_accepted_algorithms()
    {
        var problem = AcmeProblemTable.From(new AcmeException(AcmeErrorType.BadSignatureAlgorithm, "no"));

        Assert.Equal(["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"], problem.Algorithms);
    }
}
