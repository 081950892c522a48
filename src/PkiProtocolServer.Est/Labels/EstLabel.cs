using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Est.Configuration;

namespace PkiProtocolServer.Est.Labels;

/// <summary>A configured EST label, ready for requests: its role, issuer, authentication and loaded trust anchors.</summary>
public sealed class EstLabel
{
    public EstLabel(string name, EstLabelOptions options, string role, X509Certificate2Collection anchors, X509Certificate2Collection intermediates)
    {
        Name = name;
        Role = role;
        IssuerRef = string.IsNullOrWhiteSpace(options.Issuer) ? null : options.Issuer;
        Authentication = options.Authentication;
        TrustAnchors = anchors;
        Intermediates = intermediates;
        ManualApproval = options.ManualApproval;
        RetryAfter = TimeSpan.FromSeconds(options.RetryAfterSeconds);
        RequireChannelBinding = options.RequireChannelBinding;
        ServerKeyGeneration = options.ServerKeyGeneration;
        CsrAttributesForm = options.CsrAttributes;
    }

    /// <summary>The label as it appears in the URL; empty for the default label.</summary>
    public string Name { get; }

    public bool IsDefault => Name.Length == 0;

    /// <summary>For messages, logs and the admin API: <c>default</c> for the default label.</summary>
    public string DisplayName => IsDefault ? "default" : Name;

    public string Role { get; }

    public string? IssuerRef { get; }

    public EstAuthenticationMode Authentication { get; }

    /// <summary>Self-signed manufacturer CAs: the roots certificate chains may end in.</summary>
    public X509Certificate2Collection TrustAnchors { get; }

    /// <summary>Non-self-signed CA certificates from the trust anchor files, used to complete chains.</summary>
    public X509Certificate2Collection Intermediates { get; }

    public bool ManualApproval { get; }

    public TimeSpan RetryAfter { get; }

    public bool RequireChannelBinding { get; }

    public bool ServerKeyGeneration { get; }

    public EstCsrAttributesForm CsrAttributesForm { get; }

    /// <summary>HTTP Basic is one way in (so a failure answers 401 with a Basic challenge).</summary>
    public bool AcceptsPassword => Authentication != EstAuthenticationMode.Certificate;

    public bool RequiresPassword => Authentication is EstAuthenticationMode.Password or EstAuthenticationMode.PasswordAndCertificate;

    public bool AcceptsCertificate => Authentication != EstAuthenticationMode.Password;

    public bool RequiresCertificate => Authentication is EstAuthenticationMode.Certificate or EstAuthenticationMode.PasswordAndCertificate;

    public string Path(string operation) => EstPaths.Path(Name, operation);
}
