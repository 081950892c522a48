using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.Tests.Support;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Tests.Issuance;

/// <summary>Alternate chains of an issued certificate: what ACME offers as <c>Link: rel="alternate"</c> (RFC 8555 7.4.2).</summary>
public sealed class AlternateChainsTests : IDisposable
{
    private readonly TestCa _ca = new();

    public void Dispose() => _ca.Dispose();

    private async Task<IssuanceResult> IssueAsync(string issuerRef)
    {
        await _ca.RoleAsync(new Role { Name = "web", IssuerRef = issuerRef, AllowAnyName = true });
        return await _ca.Issuance.SignAsync("web", TestCa.Csr("www.example.org", ["www.example.org"]), null, "test", CancellationToken.None);
    }

    [Fact]
    public async Task An_issuer_with_one_parent_has_no_alternate_chain()
    {
        await _ca.RootAsync("root-a");
        await _ca.IntermediateAsync("int", "root-a");

        var result = await IssueAsync("int");

        Assert.Equal(2, result.Chain.Count);
        Assert.Empty(result.AlternateChains);
    }

    [Fact]
    public async Task A_cross_signed_intermediate_gives_the_chain_to_the_other_root_as_an_alternate()
    {
        var rootA = await _ca.RootAsync("root-a");
        var rootB = await _ca.RootAsync("root-b");
        var intermediate = await _ca.IntermediateAsync("int", "root-a");
        var csr = await _ca.Issuers.CsrForIssuerAsync("int", "test", CancellationToken.None);
        var crossSigned = await _ca.Issuers.SignIntermediateAsync("root-b", new Issuers.SignIntermediateRequest { Csr = csr.CsrDer, Constraints = new Issuers.CaConstraints { Ttl = TimeSpan.FromDays(300), MaxPathLength = 0 } }, "test", CancellationToken.None);
        var twin = (await _ca.Issuers.ImportAsync(Pem.Encode("CERTIFICATE", crossSigned.CertificateDer), "int-by-b", "test", CancellationToken.None)).Imported.Single();

        var result = await IssueAsync("int");

        Assert.Equal([intermediate.CertificateDer, rootA.CertificateDer], result.Chain);
        var alternate = Assert.Single(result.AlternateChains);
        Assert.Equal([twin.CertificateDer, rootB.CertificateDer], alternate);
    }
}
