using System.Net;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Roles;

/// <summary>
/// Decides whether a role allows a set of names, a key and a lifetime. Deny by default: a name passes
/// only when a rule of the role allows it, and every refusal names the rule and the name.
/// </summary>
public static class RolePolicy
{
    /// <summary>Every refusal for this request; empty when the role allows all of it.</summary>
    public static IReadOnlyList<PkiSubproblem> Check(Role role, string? commonName, SubjectNames names, KeySpec key, TimeSpan? requestedTtl)
    {
        var refusals = new List<PkiSubproblem>();
        if (role.RequireCn && string.IsNullOrEmpty(commonName))
        {
            refusals.Add(new("require_cn", string.Empty, $"role '{role.Name}' requires a common name and the request has none"));
        }

        if (!string.IsNullOrEmpty(commonName))
        {
            if (IPAddress.TryParse(commonName, out var cnAddress))
            {
                CheckIp(role, cnAddress, refusals);
            }
            else if (commonName.Contains('@', StringComparison.Ordinal))
            {
                CheckEmail(role, commonName, refusals);
            }
            else
            {
                CheckDnsName(role, commonName, refusals, "common name");
            }
        }

        refusals.AddRange(CheckNames(role, names));
        CheckKey(role, key, refusals);
        if (requestedTtl is { } zero && zero <= TimeSpan.Zero)
        {
            refusals.Add(new("ttl", Durations.Format(zero), "the requested ttl must be positive"));
        }
        else if (requestedTtl is { } ttl && ttl > role.MaxTtl)
        {
            refusals.Add(new("max_ttl", Durations.Format(ttl), $"requested ttl {Durations.Format(ttl)} is longer than the role's max_ttl {Durations.Format(role.MaxTtl)}"));
        }

        return refusals;
    }

    /// <summary>
    /// Every refusal of the role for these subject alternative names alone (no key, no lifetime): what a
    /// front end asks before it spends effort validating names the role would refuse at issuance anyway.
    /// </summary>
    public static IReadOnlyList<PkiSubproblem> CheckNames(Role role, SubjectNames names)
    {
        var refusals = new List<PkiSubproblem>();
        foreach (var dns in names.DnsNames)
        {
            CheckDnsName(role, dns, refusals, "DNS name");
        }

        foreach (var ip in names.IpAddresses)
        {
            CheckIp(role, ip, refusals);
        }

        foreach (var uri in names.Uris)
        {
            if (!role.AllowedUriSans.Any(pattern => Hostnames.GlobMatches(pattern, uri)))
            {
                refusals.Add(new("allowed_uri_sans", uri, $"URI SAN '{uri}' does not match the role's allowed_uri_sans ({List(role.AllowedUriSans)})"));
            }
        }

        foreach (var email in names.Emails)
        {
            CheckEmail(role, email, refusals);
        }

        foreach (var kind in names.Unsupported)
        {
            refusals.Add(new("subject_alt_names", kind, $"subjectAltName of kind {kind} is not issued by this CA"));
        }

        return refusals;
    }

    /// <summary>Throws <see cref="PkiErrorKind.PolicyRefused"/> with every refusal, or returns when allowed.</summary>
    public static void Enforce(Role role, string? commonName, SubjectNames names, KeySpec key, TimeSpan? requestedTtl)
    {
        if (string.IsNullOrEmpty(commonName) && names.IsEmpty)
        {
            throw PkiException.Malformed("the request names nothing: give a common name or subject alternative names");
        }

        var refusals = Check(role, commonName, names, key, requestedTtl);
        if (refusals.Count > 0)
        {
            throw PkiException.Refused(refusals);
        }
    }

    private static void CheckDnsName(Role role, string name, List<PkiSubproblem> refusals, string what)
    {
        var lower = name.ToLowerInvariant();
        if (role.EnforceHostnames && !Hostnames.IsValid(lower))
        {
            refusals.Add(new("enforce_hostnames", name, $"{what} '{name}' is not a valid hostname"));
            return;
        }

        if (Hostnames.IsWildcard(lower) && !role.AllowWildcardCertificates)
        {
            refusals.Add(new("allow_wildcard_certificates", name, $"{what} '{name}' is a wildcard and role '{role.Name}' does not allow wildcard certificates"));
            return;
        }

        if (role.AllowAnyName)
        {
            return;
        }

        if (Hostnames.IsLocalhost(lower))
        {
            if (!role.AllowLocalhost)
            {
                refusals.Add(new("allow_localhost", name, $"{what} '{name}' is localhost and role '{role.Name}' does not allow localhost"));
            }

            return;
        }

        var bareButNotAllowed = false;
        foreach (var allowed in role.AllowedDomains)
        {
            var domain = allowed.ToLowerInvariant();
            if (lower == domain)
            {
                if (role.AllowBareDomains)
                {
                    return;
                }

                bareButNotAllowed = true;
                continue;
            }

            if (role.AllowSubdomains && lower.EndsWith("." + domain, StringComparison.Ordinal))
            {
                return;
            }

            if (role.AllowGlobDomains && domain.Contains('*', StringComparison.Ordinal) && Hostnames.GlobMatches(domain, lower))
            {
                return;
            }
        }

        refusals.Add(bareButNotAllowed
            ? new("allow_bare_domains", name, $"{what} '{name}' is an allowed domain itself, but role '{role.Name}' has allow_bare_domains off")
            : new("allowed_domains", name, $"{what} '{name}' is not allowed by role '{role.Name}' (allowed_domains: {List(role.AllowedDomains)}; allow_subdomains: {Flag(role.AllowSubdomains)}, allow_glob_domains: {Flag(role.AllowGlobDomains)})"));
    }

    private static void CheckIp(Role role, IPAddress address, List<PkiSubproblem> refusals)
    {
        if (!role.AllowIpSans)
        {
            refusals.Add(new("allow_ip_sans", address.ToString(), $"IP address {address} is not allowed: role '{role.Name}' has allow_ip_sans off"));
        }
    }

    private static void CheckEmail(Role role, string email, List<PkiSubproblem> refusals)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0 || at == email.Length - 1)
        {
            refusals.Add(new("email", email, $"'{email}' is not an email address"));
            return;
        }

        CheckDnsName(role, email[(at + 1)..], refusals, $"email domain of '{email}'");
    }

    private static void CheckKey(Role role, KeySpec key, List<PkiSubproblem> refusals)
    {
        if (role.KeyType != "any" && role.KeyType != key.TypeName)
        {
            refusals.Add(new("key_type", key.ToString(), $"key type {key.TypeName} is not allowed: role '{role.Name}' requires {role.KeyType}"));
            return;
        }

        if (key.Algorithm != KeyAlgorithm.Ed25519 && role.KeyBits > 0 && key.Bits < role.KeyBits && (role.KeyType == key.TypeName || role.KeyType == "any"))
        {
            // With key_type any, key_bits is read per family only where it makes sense (an RSA size does not bind an EC key).
            var applies = role.KeyType != "any" || (key.Algorithm == KeyAlgorithm.Rsa ? role.KeyBits >= 2048 : role.KeyBits < 2048);
            if (applies)
            {
                refusals.Add(new("key_bits", key.ToString(), $"a {key} key is below role '{role.Name}' minimum of {role.KeyBits} bits"));
            }
        }
    }

    private static string List(IReadOnlyList<string> values) => values.Count == 0 ? "none" : string.Join(", ", values);

    private static string Flag(bool value) => value ? "on" : "off";
}
