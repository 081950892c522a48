using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Errors;

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

    /// <summary>Builds a subject; throws <see cref="PkiException"/> (Malformed) for values X.500 cannot carry.</summary>
    public static X500DistinguishedName Build(string? commonName, IEnumerable<string>? organization = null, IEnumerable<string>? organizationalUnit = null, IEnumerable<string>? country = null)
    {
        foreach (var (field, values) in new[] { ("common_name", commonName is null ? [] : new[] { commonName }), ("organization", organization ?? []), ("ou", organizationalUnit ?? []), ("country", country ?? []) })
        {
            foreach (var value in values)
            {
                if (value.Length is 0 or > 64 || value.Any(char.IsControl))
                {
                    throw PkiException.Malformed($"{field} '{value}' must be 1-64 characters without control characters");
                }

                if (field == "country" && (value.Length != 2 || !value.All(char.IsAsciiLetterUpper)))
                {
                    throw PkiException.Malformed($"country '{value}' must be a two-letter ISO 3166 code in capitals, e.g. DE");
                }
            }
        }

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
