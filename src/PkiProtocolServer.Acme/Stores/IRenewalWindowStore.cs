namespace PkiProtocolServer.Acme.Stores;

/// <summary>
/// The operator's moves of ACME Renewal Information windows (RFC 9773), owned by the ACME front end: one window per
/// certificate (by serial), per role or per issuer, replacing whatever was set for the same scope and target.
/// </summary>
public interface IRenewalWindowStore
{
    /// <summary>Records the window, replacing the one of the same <see cref="RenewalWindow.Scope"/> and <see cref="RenewalWindow.Target"/>.</summary>
    Task SetAsync(RenewalWindow window, CancellationToken cancellationToken);

    Task<RenewalWindow?> GetAsync(RenewalWindowScope scope, string target, CancellationToken cancellationToken);

    /// <summary>Every window, by scope then target.</summary>
    Task<IReadOnlyList<RenewalWindow>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes a window; false when none was set.</summary>
    Task<bool> DeleteAsync(RenewalWindowScope scope, string target, CancellationToken cancellationToken);
}

/// <summary>What a <see cref="RenewalWindow"/> applies to; a certificate's window wins over its role's, which wins over its issuer's.</summary>
public enum RenewalWindowScope
{
    Certificate,
    Role,
    Issuer,
}

/// <summary>A renewal window set by the operator: the suggestedWindow (and explanationURL) clients are given.</summary>
public sealed record RenewalWindow
{
    public required RenewalWindowScope Scope { get; init; }

    /// <summary>Serial (lower-case hex), role name, or issuer id, as <see cref="Scope"/> says.</summary>
    public required string Target { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>A page that tells the subscriber why (RFC 9773 4.2 <c>explanationURL</c>).</summary>
    public string? ExplanationUrl { get; init; }

    public required string SetBy { get; init; }

    public required DateTimeOffset SetAt { get; init; }
}
