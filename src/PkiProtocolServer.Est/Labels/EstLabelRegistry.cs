using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Est.Configuration;

namespace PkiProtocolServer.Est.Labels;

/// <summary>
/// The labels of <c>Pki:Est</c>, checked and loaded once at start: a bad label name, a missing role or an unreadable
/// trust anchor file stops the server with a message naming the key, rather than failing requests later.
/// </summary>
public sealed class EstLabelRegistry
{
    private readonly Dictionary<string, EstLabel> _labels;

    public EstLabelRegistry(IOptions<EstOptions> options)
    {
        var value = options.Value;
        var errors = new List<string>();
        _labels = new Dictionary<string, EstLabel>(StringComparer.Ordinal);
        var defaultLabel = Build(string.Empty, value.Default, EstOptions.DefaultRoleName, errors);
        if (defaultLabel is not null)
        {
            _labels[string.Empty] = defaultLabel;
        }

        foreach (var (name, labelOptions) in value.Labels)
        {
            if (!EstPaths.IsValidLabel(name))
            {
                errors.Add($"{EstOptions.Section}:Labels:{name}: a label is 1-64 letters, digits, '.', '_' or '-', and not an operation name ({string.Join(", ", EstPaths.Operations)})");
                continue;
            }

            if (Build(name, labelOptions, null, errors) is { } label)
            {
                _labels[name] = label;
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(EstOptions.Section, typeof(EstOptions), errors);
        }
    }

    /// <summary>Every label, the default label first.</summary>
    public IReadOnlyList<EstLabel> All => _labels.Values.OrderBy(l => l.Name, StringComparer.Ordinal).ToList();

    public EstLabel Default => _labels[string.Empty];

    /// <summary>The label named in the URL (empty = the default label).</summary>
    public EstLabel? Find(string? name) => _labels.GetValueOrDefault(name ?? string.Empty);

    private static EstLabel? Build(string name, EstLabelOptions options, string? defaultRole, List<string> errors)
    {
        var key = name.Length == 0 ? $"{EstOptions.Section}:Default" : $"{EstOptions.Section}:Labels:{name}";
        var role = string.IsNullOrWhiteSpace(options.Role) ? defaultRole : options.Role.Trim();
        var before = errors.Count;
        if (role is null)
        {
            errors.Add($"{key}:Role is required: the role every enrollment on this label is checked against");
        }

        if (!Enum.IsDefined(options.Authentication))
        {
            errors.Add($"{key}:Authentication must be Password, Certificate, PasswordOrCertificate or PasswordAndCertificate");
        }

        if (options.RetryAfterSeconds is < 1 or > 86_400)
        {
            errors.Add($"{key}:RetryAfterSeconds must be between 1 and 86400");
        }

        var anchors = new X509Certificate2Collection();
        var intermediates = new X509Certificate2Collection();
        for (var i = 0; i < options.TrustAnchors.Count; i++)
        {
            LoadAnchors(options.TrustAnchors[i], $"{key}:TrustAnchors:{i}", anchors, intermediates, errors);
        }

        if (options.Authentication == EstAuthenticationMode.Certificate && anchors.Count == 0 && intermediates.Count > 0)
        {
            errors.Add($"{key}:TrustAnchors holds no self-signed CA certificate to anchor chains in");
        }

        return errors.Count > before ? null : new EstLabel(name, options, role!, anchors, intermediates);
    }

    private static void LoadAnchors(string path, string key, X509Certificate2Collection anchors, X509Certificate2Collection intermediates, List<string> errors)
    {
        X509Certificate2Collection loaded = [];
        try
        {
            loaded.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            errors.Add($"{key}: cannot read the PEM file '{path}': {e.Message}");
            return;
        }

        if (loaded.Count == 0)
        {
            errors.Add($"{key}: '{path}' holds no PEM certificate");
        }

        foreach (var certificate in loaded)
        {
            var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
            if (!isCa)
            {
                errors.Add($"{key}: '{certificate.Subject}' in '{path}' is not a CA certificate (basicConstraints cA is not set)");
                continue;
            }

            (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? anchors : intermediates).Add(certificate);
        }
    }
}
