using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace PkiProtocolServer.Contracts;

/// <summary>Certificate chains as a relying party checks them.</summary>
public static class Chains
{
    /// <summary>Builds the leaf's chain with only <paramref name="rootPem"/> trusted and asserts it validates.</summary>
    public static void AssertValid(string leafPem, IReadOnlyList<string> caChainPems, string rootPem, DateTime? at = null)
    {
        using var leaf = X509Certificate2.CreateFromPem(leafPem);
        using var root = X509Certificate2.CreateFromPem(rootPem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (at is not null)
        {
            chain.ChainPolicy.VerificationTime = at.Value;
        }

        foreach (var pem in caChainPems)
        {
            chain.ChainPolicy.ExtraStore.Add(X509Certificate2.CreateFromPem(pem));
        }

        var ok = chain.Build(leaf);
        var statuses = string.Join("; ", chain.ChainElements.SelectMany(e => e.ChainElementStatus.Select(s => $"{e.Certificate.Subject}: {s.Status} {s.StatusInformation}")));
        Assert.True(ok, "the chain does not validate: " + statuses);
        Assert.Equal(root.Thumbprint, chain.ChainElements[^1].Certificate.Thumbprint);
    }

    public static X509Certificate2 Load(string pem) => X509Certificate2.CreateFromPem(pem);

    /// <summary>The PEM blocks of a bundle, one string per certificate.</summary>
    public static List<string> Split(string pemBundle)
    {
        var result = new List<string>();
        var rest = pemBundle.AsSpan();
        while (System.Security.Cryptography.PemEncoding.TryFind(rest, out var fields))
        {
            result.Add(rest[fields.Location].ToString() + "\n");
            rest = rest[fields.Location.End..];
        }

        return result;
    }
}
