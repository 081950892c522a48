using System.Text.RegularExpressions;

namespace PkiProtocolServer.Acme;

/// <summary>
/// A certificate profile of a directory (draft-ietf-acme-profiles): a name clients put in newOrder's <c>profile</c>,
/// mapped to a role of the core (names, lifetime, usages, key types) and optionally an issuer.
/// </summary>
public sealed record AcmeProfile
{
    public required string Name { get; init; }

    public required string Role { get; init; }

    /// <summary>Issuer id or name; unset = the directory's issuer, then the role's <c>issuer_ref</c>.</summary>
    public string? Issuer { get; init; }

    /// <summary>What <c>meta.profiles</c> tells people about it.</summary>
    public required string Description { get; init; }
}

/// <summary>The configuration of one profile: <c>Pki:Acme:Directories:NAME:Profiles:PROFILE</c>.</summary>
public sealed class AcmeProfileOptions
{
    /// <summary>The role orders of this profile are checked and issued under (required).</summary>
    public string? Role { get; set; }

    /// <summary>Issuer id or name; unset = the directory's issuer, then the role's <c>issuer_ref</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>Human-readable description for <c>meta.profiles</c>; unset = "role ROLE".</summary>
    public string? Description { get; set; }
}

/// <summary>Builds and checks a directory's profiles from its options.</summary>
public static partial class AcmeProfiles
{
    /// <summary>The profiles of a directory's options (validated at start by <see cref="Validate"/>).</summary>
    public static IReadOnlyDictionary<string, AcmeProfile> From(AcmeDirectoryOptions options) =>
        options.Profiles.ToDictionary(
            p => p.Key,
            p => new AcmeProfile
            {
                Name = p.Key,
                Role = p.Value.Role ?? string.Empty,
                Issuer = string.IsNullOrWhiteSpace(p.Value.Issuer) ? null : p.Value.Issuer,
                Description = string.IsNullOrWhiteSpace(p.Value.Description) ? $"role {p.Value.Role}" : p.Value.Description,
            },
            StringComparer.Ordinal);

    /// <summary>Refusals of one directory's profile settings, for options validation at start.</summary>
    public static IEnumerable<string> Validate(string directory, AcmeDirectoryOptions options)
    {
        foreach (var (name, profile) in options.Profiles)
        {
            if (!ProfileName().IsMatch(name))
            {
                yield return $"Pki:Acme:Directories:{directory}:Profiles:{name}: a profile name is 1-64 of a-z, A-Z, 0-9, '.', '_' and '-'";
            }

            if (string.IsNullOrWhiteSpace(profile.Role))
            {
                yield return $"Pki:Acme:Directories:{directory}:Profiles:{name}:Role must name a role";
            }
        }

        if (!string.IsNullOrEmpty(options.DefaultProfile) && !options.Profiles.ContainsKey(options.DefaultProfile))
        {
            yield return $"Pki:Acme:Directories:{directory}:DefaultProfile '{options.DefaultProfile}' is not one of its Profiles";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProfileName();
}
