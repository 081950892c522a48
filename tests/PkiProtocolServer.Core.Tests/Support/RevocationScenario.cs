using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Contracts;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Tests.Support;

/// <summary>
/// A root, an intermediate <c>int</c> with CDP and OCSP URLs (the default issuer), roles <c>web</c> and
/// <c>ephemeral</c> (no_store), one revocation node, and openssl as the relying party.
/// </summary>
public abstract class RevocationScenario : IAsyncLifetime, IDisposable
{
    public const string CrlBase = "http://pki.test/crl/";

    protected RevocationScenario(Func<IKeyCustody, IKeyCustody>? wrapCustody = null)
    {
        Ca = new TestCa(wrapCustody);
    }

    protected TestCa Ca { get; }

    protected OpensslCli Openssl { get; } = new();

    protected RevocationNode Node { get; private set; } = null!;

    protected Issuer Root { get; private set; } = null!;

    protected Issuer Intermediate { get; private set; } = null!;

    protected string RootPem => Pem.Encode("CERTIFICATE", Root.CertificateDer);

    protected string IntermediatePem => Pem.Encode("CERTIFICATE", Intermediate.CertificateDer);

    /// <summary>Options of the first node; override to change timing or sharding.</summary>
    protected virtual RevocationOptions NodeOptions() => new();

    protected virtual TimeProvider NodeTime() => TimeProvider.System;

    protected virtual int ShardCount => 1;

    public virtual async Task InitializeAsync()
    {
        Root = await Ca.RootAsync("root");
        var intermediate = await Ca.IntermediateAsync("int", "root");
        Intermediate = await Ca.Issuers.UpdateAsync("int", new IssuerUpdate
        {
            Urls = new IssuerUrls
            {
                CrlDistributionPoints = [CrlBase + intermediate.Id + ".crl"],
                OcspServers = ["http://pki.test/ocsp"],
            },
        }, "test", CancellationToken.None);
        await Ca.Issuers.SetDefaultAsync("int", "test", CancellationToken.None);
        await Ca.RoleAsync(new Role { Name = "web", AllowedDomains = ["example.com"], AllowSubdomains = true });
        await Ca.RoleAsync(new Role { Name = "ephemeral", AllowedDomains = ["example.com"], AllowSubdomains = true, NoStore = true });
        Node = RevocationNode.For(Ca, NodeOptions(), NodeTime());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Node?.Dispose();
        Openssl.Dispose();
        Ca.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Issues a leaf under a role, through an issuance service with this scenario's shard count.</summary>
    protected Task<IssuanceResult> IssueAsync(string commonName, string role = "web") =>
        new IssuanceService(Ca.Stores.Roles, Ca.Stores.Certificates, Ca.Catalog, Ca.Keys, Ca.Audit, TimeProvider.System, ShardCount)
            .IssueWithGeneratedKeyAsync(new LeafRequest { Role = role, SubjectPublicKeyInfo = [], KeySpec = KeySpec.EcP256, CommonName = commonName, Actor = "test" }, KeySpec.EcP256, CancellationToken.None);

    protected static X509Certificate2 Load(IssuanceResult issued) => X509CertificateLoader.LoadCertificate(issued.Certificate.CertificateDer);

    /// <summary>An OCSP request for <paramref name="leaf"/> as openssl writes it (SHA-1 CertID unless told otherwise).</summary>
    protected byte[] OcspRequest(IssuanceResult leaf, bool nonce = false, string digest = "-sha1") => OcspRequest(leaf, nonce, digest, out _);

    protected byte[] OcspRequest(IssuanceResult leaf, bool nonce, string digest, out string path)
    {
        var name = Guid.NewGuid().ToString("N");
        path = Openssl.PathOf(name + ".req");
        var leafPath = Openssl.Write(name + ".pem", Pem.Encode("CERTIFICATE", leaf.Certificate.CertificateDer));
        var issuerPath = Openssl.Write(name + "-issuer.pem", IntermediatePem);
        Openssl.RunOk(["ocsp", "-issuer", issuerPath, digest, "-cert", leafPath, "-reqout", Openssl.PathOf(name + ".req"), nonce ? "-nonce" : "-no_nonce"]);
        return File.ReadAllBytes(Openssl.PathOf(name + ".req"));
    }

    /// <summary>
    /// Has openssl verify an OCSP response for <paramref name="leaf"/> against the root and print what it says;
    /// <paramref name="extra"/> goes before <c>-cert</c> (e.g. <c>-sha256</c> for the CertID digest, <c>-resp_text</c>).
    /// </summary>
    protected string OpensslReadsResponse(byte[] response, IssuanceResult leaf, params string[] extra)
    {
        var name = Guid.NewGuid().ToString("N");
        var leafPath = Openssl.Write(name + ".pem", Pem.Encode("CERTIFICATE", leaf.Certificate.CertificateDer));
        var output = Openssl.RunOk(["ocsp", "-respin", Openssl.Write(name + ".resp", response), "-issuer", Openssl.Write(name + "-issuer.pem", IntermediatePem),
            "-CAfile", Openssl.Write(name + "-root.pem", RootPem), "-no_nonce", .. extra, "-cert", leafPath]);
        Assert.Contains("Response verify OK", output);
        return output;
    }

    /// <summary><c>openssl verify -crl_check</c> of a leaf with the given CRLs (PEM); returns exit code and output.</summary>
    protected (int ExitCode, string Output) OpensslVerifyWithCrls(IssuanceResult leaf, IEnumerable<byte[]> crls, params string[] extra)
    {
        var name = Guid.NewGuid().ToString("N");
        var arguments = new List<string> { "verify", "-crl_check", "-CAfile", Openssl.Write(name + "-root.pem", RootPem), "-untrusted", Openssl.Write(name + "-int.pem", IntermediatePem) };
        var i = 0;
        foreach (var crl in crls)
        {
            arguments.AddRange(["-CRLfile", Openssl.Write($"{name}-{i++}.crl.pem", Pem.Encode("X509 CRL", crl))]);
        }

        arguments.AddRange(extra);
        arguments.Add(Openssl.Write(name + "-leaf.pem", Pem.Encode("CERTIFICATE", leaf.Certificate.CertificateDer)));
        return Openssl.Run([.. arguments]);
    }

    /// <summary><c>openssl crl -text</c> of a DER CRL, after checking its signature with the intermediate.</summary>
    protected string OpensslReadsCrl(byte[] der)
    {
        var name = Guid.NewGuid().ToString("N");
        var output = Openssl.RunOk(["crl", "-inform", "DER", "-in", Openssl.Write(name + ".crl", der), "-CAfile", Openssl.Write(name + "-int.pem", IntermediatePem), "-noout", "-text"]);
        Assert.Contains("verify OK", output);
        return output;
    }

    protected static string Hex(IssuanceResult leaf) => leaf.Certificate.Serial.ToUpperInvariant();
}
