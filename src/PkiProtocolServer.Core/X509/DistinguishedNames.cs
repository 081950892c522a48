using System.Security.Cryptography.X509Certificates;

namespace PkiProtocolServer.Core.X509;

/// <summary>Reads and builds X.500 names.</summary>
public static class DistinguishedNames
{
    private const string CommonNameOid = "2.5.4.3";

    /// <summary>The last (most specific) commonName of <paramref name="name"/>, or null.</summary>
    public static string? CommonName(X500DistinguishedName name)
    {
        string? result = null;
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid)
            {
                result = rdn.GetSingleElementValue();
            }
        }

        return result;
    }

    public static X500DistinguishedName Build(string? commonName, IEnumerable<string>? organization = null, IEnumerable<string>? organizationalUnit = null, IEnumerable<string>? country = null)
    {
        var builder = new X500DistinguishedNameBuilder();
        foreach (var c in country ?? [])
        {
            builder.AddCountryOrRegion(c);
        }

        foreach (var o in organization ?? [])
        {
            builder.AddOrganizationName(o);
        }

        foreach (var ou in organizationalUnit ?? [])
        {
            builder.AddOrganizationalUnitName(ou);
        }

        if (!string.IsNullOrEmpty(commonName))
        {
            builder.AddCommonName(commonName);
        }

        return builder.Build();
    }
}
