using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Roles;

/// <summary>Names of key usages and extended key usages as roles spell them, and their X.509 values.</summary>
public static class Usages
{
    private static readonly Dictionary<string, X509KeyUsageFlags> KeyUsages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DigitalSignature"] = X509KeyUsageFlags.DigitalSignature,
        ["ContentCommitment"] = X509KeyUsageFlags.NonRepudiation,
        ["NonRepudiation"] = X509KeyUsageFlags.NonRepudiation,
        ["KeyEncipherment"] = X509KeyUsageFlags.KeyEncipherment,
        ["DataEncipherment"] = X509KeyUsageFlags.DataEncipherment,
        ["KeyAgreement"] = X509KeyUsageFlags.KeyAgreement,
        ["CertSign"] = X509KeyUsageFlags.KeyCertSign,
        ["CRLSign"] = X509KeyUsageFlags.CrlSign,
        ["EncipherOnly"] = X509KeyUsageFlags.EncipherOnly,
        ["DecipherOnly"] = X509KeyUsageFlags.DecipherOnly,
    };

    private static readonly Dictionary<string, string> ExtendedKeyUsages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ServerAuth"] = "1.3.6.1.5.5.7.3.1",
        ["ClientAuth"] = "1.3.6.1.5.5.7.3.2",
        ["CodeSigning"] = "1.3.6.1.5.5.7.3.3",
        ["EmailProtection"] = "1.3.6.1.5.5.7.3.4",
        ["TimeStamping"] = "1.3.6.1.5.5.7.3.8",
        ["OcspSigning"] = "1.3.6.1.5.5.7.3.9",
        ["Any"] = "2.5.29.37.0",
    };

    public static X509KeyUsageFlags KeyUsageFlags(IEnumerable<string> names)
    {
        var flags = X509KeyUsageFlags.None;
        foreach (var name in names)
        {
            flags |= KeyUsages.TryGetValue(name, out var flag)
                ? flag
                : throw PkiException.Malformed($"key_usage '{name}' is unknown; use one of {string.Join(", ", KeyUsages.Keys)}");
        }

        return flags;
    }

    public static string ExtendedKeyUsageOid(string name) =>
        ExtendedKeyUsages.TryGetValue(name, out var oid)
            ? oid
            : throw PkiException.Malformed($"ext_key_usage '{name}' is unknown; use one of {string.Join(", ", ExtendedKeyUsages.Keys)}, or ext_key_usage_oids");
}
