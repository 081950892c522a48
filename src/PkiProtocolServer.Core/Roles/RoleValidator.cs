using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Roles;

/// <summary>Checks a role definition before it is stored, so a bad role fails at write time, not at issuance.</summary>
public static class RoleValidator
{
    public static void Validate(Role role)
    {
        if (!IsValidName(role.Name))
        {
            throw PkiException.Malformed($"role name '{role.Name}' must be 1-128 characters of letters, digits, '-', '_' or '.'");
        }

        if (role.KeyType is not ("any" or "rsa" or "ec" or "ed25519"))
        {
            throw PkiException.Malformed($"key_type '{role.KeyType}' must be any, rsa, ec or ed25519");
        }

        if (role.KeyBits < 0 || (role.KeyType == "rsa" && role.KeyBits is not (0 or 2048 or 3072 or 4096)) || (role.KeyType == "ec" && role.KeyBits is not (0 or 256 or 384)))
        {
            throw PkiException.Malformed($"key_bits {role.KeyBits} does not fit key_type {role.KeyType} (rsa: 2048, 3072, 4096; ec: 256, 384)");
        }

        if (role.Ttl <= TimeSpan.Zero || role.MaxTtl <= TimeSpan.Zero)
        {
            throw PkiException.Malformed("ttl and max_ttl must be positive");
        }

        if (role.MaxTtl > Durations.Maximum)
        {
            throw PkiException.Malformed("max_ttl is longer than the maximum of 100 years");
        }

        if (role.Ttl > role.MaxTtl)
        {
            throw PkiException.Malformed($"ttl ({Durations.Format(role.Ttl)}) is longer than max_ttl ({Durations.Format(role.MaxTtl)})");
        }

        if (role.NotBeforeDuration < TimeSpan.Zero || role.NotBeforeDuration > TimeSpan.FromDays(1))
        {
            throw PkiException.Malformed("not_before_duration must be between 0 and 24h");
        }

        foreach (var domain in role.AllowedDomains)
        {
            var check = role.AllowGlobDomains ? domain.Replace("*", "x", StringComparison.Ordinal) : domain;
            if (!Hostnames.IsValid(check.ToLowerInvariant()))
            {
                throw PkiException.Malformed($"allowed_domains entry '{domain}' is not a valid domain" + (domain.Contains('*', StringComparison.Ordinal) ? " (globs need allow_glob_domains)" : string.Empty));
            }
        }

        DistinguishedNames.Build(null, role.Organization, role.OrganizationalUnit, role.Country);
        Usages.KeyUsageFlags(role.KeyUsage);
        foreach (var eku in role.ExtKeyUsage)
        {
            Usages.ExtendedKeyUsageOid(eku);
        }

        foreach (var oid in role.ExtKeyUsageOids)
        {
            Extensions.EnsureOid(oid, "ext_key_usage_oids entry");
        }

        foreach (var oid in role.PolicyIdentifiers)
        {
            Extensions.EnsureOid(oid, "policy_identifiers entry");
        }

        if (string.IsNullOrWhiteSpace(role.IssuerRef))
        {
            throw PkiException.Malformed("issuer_ref must name an issuer or be 'default'");
        }
    }

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
