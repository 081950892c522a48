namespace PkiProtocolServer.Acme.Services;

/// <summary><c>Pki:Acme:Tidy</c>: how often <see cref="AcmeJanitor"/> sweeps, and how long deactivated accounts are kept.</summary>
public sealed class AcmeTidyOptions
{
    /// <summary>Time between two sweeps (default 10 minutes).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a deactivated account is kept after its deactivation (default 30 days): long enough for an operator to
    /// look into it, after which its record and its key mapping go (a deactivated account can never be used again,
    /// RFC 8555 7.3.6).
    /// </summary>
    public TimeSpan DeactivatedAccountRetention { get; set; } = TimeSpan.FromDays(30);
}
