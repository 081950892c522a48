using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PkiProtocolServer.Acme;

/// <summary>One ACME directory as served: its name and the role and issuer of the core it maps to.</summary>
public sealed record AcmeProfile
{
    /// <summary>The role the embedded default creates for the default directory.</summary>
    public const string DefaultRoleName = "acme-default";

    public required string Name { get; init; }

    public required string Role { get; init; }

    public string? Issuer { get; init; }

    public bool ExternalAccountRequired { get; init; }

    public string? TermsOfService { get; init; }

    public string? Website { get; init; }

    public IReadOnlyList<string> CaaIdentities { get; init; } = [];
}

/// <summary>The configured profiles, with <c>default</c> always present.</summary>
public sealed partial class AcmeProfiles
{
    private readonly Dictionary<string, AcmeProfile> _byName;

    public AcmeProfiles(IOptions<AcmeOptions> options)
    {
        _byName = new Dictionary<string, AcmeProfile>(StringComparer.Ordinal);
        foreach (var (name, profile) in options.Value.Profiles)
        {
            _byName[name] = From(name, profile);
        }

        if (!_byName.ContainsKey(AcmePaths.DefaultProfile))
        {
            _byName[AcmePaths.DefaultProfile] = From(AcmePaths.DefaultProfile, new AcmeProfileOptions());
        }
    }

    public IEnumerable<AcmeProfile> All => _byName.Values;

    public AcmeProfile Default => _byName[AcmePaths.DefaultProfile];

    public bool Exists(string name) => _byName.ContainsKey(name);

    public AcmeProfile? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Refusals of the profile names and settings, for options validation at start.</summary>
    public static IEnumerable<string> Validate(AcmeOptions options)
    {
        foreach (var (name, profile) in options.Profiles)
        {
            if (name != AcmePaths.DefaultProfile && (AcmePaths.ReservedSegments.Contains(name) || !ProfileName().IsMatch(name)))
            {
                yield return $"Pki:Acme:Profiles:{name}: a profile name is 1-63 of a-z, 0-9 and '-', and not one of {string.Join(", ", AcmePaths.ReservedSegments)}";
            }

            if (string.IsNullOrWhiteSpace(profile.Role))
            {
                yield return $"Pki:Acme:Profiles:{name}:Role must name a role";
            }
        }
    }

    private static AcmeProfile From(string name, AcmeProfileOptions options) => new()
    {
        Name = name,
        Role = options.Role,
        Issuer = string.IsNullOrWhiteSpace(options.Issuer) ? null : options.Issuer,
        ExternalAccountRequired = options.ExternalAccountRequired,
        TermsOfService = string.IsNullOrWhiteSpace(options.TermsOfService) ? null : options.TermsOfService,
        Website = string.IsNullOrWhiteSpace(options.Website) ? null : options.Website,
        CaaIdentities = options.CaaIdentities,
    };

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ProfileName();
}
