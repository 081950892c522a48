using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme;

/// <summary>One ACME directory as served: its name and the role and issuer of the core it maps to.</summary>
public sealed record AcmeDirectory
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

    /// <summary>Certificate profiles by name (draft-ietf-acme-profiles); empty = none offered.</summary>
    public IReadOnlyDictionary<string, AcmeProfile> Profiles { get; init; } = new Dictionary<string, AcmeProfile>();

    /// <summary>The profile of an order that names none; null = <see cref="Role"/> and <see cref="Issuer"/>.</summary>
    public string? DefaultProfile { get; init; }

    /// <summary>
    /// The role and issuer an order of <paramref name="profile"/> (null: none) is checked and issued under. A profile
    /// this directory does not offer (the configuration changed since the order was placed) is <c>invalidProfile</c>:
    /// an order is never issued under another role than it asked for.
    /// </summary>
    public (string Role, string? Issuer) IssuanceOf(string? profile)
    {
        if (profile is null)
        {
            return (Role, Issuer);
        }

        return Profiles.TryGetValue(profile, out var p)
            ? (p.Role, p.Issuer ?? Issuer)
            : throw new AcmeException(AcmeErrorType.InvalidProfile, $"this directory no longer offers the profile '{profile}'; place a new order");
    }
}

/// <summary>The configured directories, with <c>default</c> always present.</summary>
public sealed partial class AcmeDirectories
{
    private readonly Dictionary<string, AcmeDirectory> _byName;

    public AcmeDirectories(IOptions<AcmeOptions> options)
    {
        _byName = new Dictionary<string, AcmeDirectory>(StringComparer.Ordinal);
        foreach (var (name, directory) in options.Value.Directories)
        {
            _byName[name] = From(name, directory);
        }

        if (!_byName.ContainsKey(AcmePaths.DefaultDirectory))
        {
            _byName[AcmePaths.DefaultDirectory] = From(AcmePaths.DefaultDirectory, new AcmeDirectoryOptions());
        }
    }

    public IEnumerable<AcmeDirectory> All => _byName.Values;

    public AcmeDirectory Default => _byName[AcmePaths.DefaultDirectory];

    public bool Exists(string name) => _byName.ContainsKey(name);

    public AcmeDirectory? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Refusals of the directory names and settings, for options validation at start.</summary>
    public static IEnumerable<string> Validate(AcmeOptions options)
    {
        foreach (var (name, directory) in options.Directories)
        {
            if (name != AcmePaths.DefaultDirectory && (AcmePaths.ReservedSegments.Contains(name) || !DirectoryName().IsMatch(name)))
            {
                yield return $"Pki:Acme:Directories:{name}: a directory name is 1-63 of a-z, 0-9 and '-', and not one of {string.Join(", ", AcmePaths.ReservedSegments)}";
            }

            if (string.IsNullOrWhiteSpace(directory.Role))
            {
                yield return $"Pki:Acme:Directories:{name}:Role must name a role";
            }

            foreach (var refusal in AcmeProfiles.Validate(name, directory))
            {
                yield return refusal;
            }
        }
    }

    private static AcmeDirectory From(string name, AcmeDirectoryOptions options) => new()
    {
        Name = name,
        Role = options.Role,
        Issuer = string.IsNullOrWhiteSpace(options.Issuer) ? null : options.Issuer,
        ExternalAccountRequired = options.ExternalAccountRequired,
        TermsOfService = string.IsNullOrWhiteSpace(options.TermsOfService) ? null : options.TermsOfService,
        Website = string.IsNullOrWhiteSpace(options.Website) ? null : options.Website,
        CaaIdentities = options.CaaIdentities,
        Profiles = AcmeProfiles.From(options),
        DefaultProfile = string.IsNullOrEmpty(options.DefaultProfile) ? null : options.DefaultProfile,
    };

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DirectoryName();
}
