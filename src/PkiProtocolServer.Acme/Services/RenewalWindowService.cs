using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// The operator's renewal windows (the admin API calls it): how a mass renewal or an issuer rotation reaches ACME
/// clients through RFC 9773. Targets are checked and normalised (serials to the stored hex form, issuer references to
/// ids); every change is audited.
/// </summary>
public sealed class RenewalWindowService
{
    private readonly IRenewalWindowStore _store;
    private readonly IssuerCatalog _issuers;
    private readonly IRoleStore _roles;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    public RenewalWindowService(IRenewalWindowStore store, IssuerCatalog issuers, IRoleStore roles, IAuditLog audit, TimeProvider time)
    {
        _store = store;
        _issuers = issuers;
        _roles = roles;
        _audit = audit;
        _time = time;
    }

    /// <summary>Sets (or replaces) the window of one certificate, role or issuer.</summary>
    public Task<RenewalWindow> SetAsync(string? scope, string? target, DateTimeOffset? start, DateTimeOffset? end, string? explanationUrl, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "acme.renewal_window.set", async () =>
        {
            var parsedScope = ParseScope(scope);
            if (start is null || end is null)
            {
                throw PkiException.Malformed("start and end (RFC 3339) are required");
            }

            // RFC 9773 4.2: a window whose end is not after its start is invalid and must not be served.
            if (end <= start)
            {
                throw PkiException.Malformed("end must be after start");
            }

            if (explanationUrl is not null && (!Uri.TryCreate(explanationUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http")))
            {
                throw PkiException.Malformed("explanation_url must be an absolute http or https URL");
            }

            var window = new RenewalWindow
            {
                Scope = parsedScope,
                Target = await NormalizeTargetAsync(parsedScope, target, cancellationToken).ConfigureAwait(false),
                Start = start.Value.ToUniversalTime(),
                End = end.Value.ToUniversalTime(),
                ExplanationUrl = explanationUrl,
                SetBy = actor,
                SetAt = _time.GetUtcNow(),
            };
            await _store.SetAsync(window, cancellationToken).ConfigureAwait(false);
            return window;
        }, (w, e) => e with { Detail = $"{Name(w.Scope)} {w.Target}: {w.Start:O} .. {w.End:O}" }, null, cancellationToken);

    public Task<IReadOnlyList<RenewalWindow>> ListAsync(CancellationToken cancellationToken) => _store.ListAsync(cancellationToken);

    /// <summary>Removes a window: its certificates return to the next scope's window or the default.</summary>
    public Task DeleteAsync(string? scope, string? target, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "acme.renewal_window.delete", async () =>
        {
            var parsedScope = ParseScope(scope);
            var normalized = parsedScope == RenewalWindowScope.Certificate ? NormalizeSerial(target) : target ?? string.Empty;
            if (parsedScope == RenewalWindowScope.Issuer && (await _issuers.GetAsync(cancellationToken).ConfigureAwait(false)).Find(normalized) is { } issuer)
            {
                normalized = issuer.Issuer.Id;
            }

            if (!await _store.DeleteAsync(parsedScope, normalized, cancellationToken).ConfigureAwait(false))
            {
                throw PkiException.NotFound($"no renewal window is set for {Name(parsedScope)} '{target}'");
            }

            return normalized;
        }, (t, e) => e with { Detail = $"{scope} {t}" }, null, cancellationToken);

    public static string Name(RenewalWindowScope scope) => scope.ToString().ToLowerInvariant();

    private static RenewalWindowScope ParseScope(string? scope) => scope switch
    {
        "certificate" => RenewalWindowScope.Certificate,
        "role" => RenewalWindowScope.Role,
        "issuer" => RenewalWindowScope.Issuer,
        _ => throw PkiException.Malformed("scope must be certificate, role or issuer"),
    };

    private async Task<string> NormalizeTargetAsync(RenewalWindowScope scope, string? target, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw PkiException.Malformed("target is required: a serial number, a role name or an issuer reference");
        }

        switch (scope)
        {
            case RenewalWindowScope.Certificate:
                return NormalizeSerial(target);
            case RenewalWindowScope.Role:
                return await _roles.GetAsync(target, cancellationToken).ConfigureAwait(false) is null
                    ? throw PkiException.NotFound($"role '{target}' does not exist")
                    : target;
            default:
                return (await _issuers.GetAsync(cancellationToken).ConfigureAwait(false)).Resolve(target).Issuer.Id;
        }
    }

    /// <summary>A serial as the stores record it: lower-case hex, no separators, no leading zero octet.</summary>
    private static string NormalizeSerial(string? serial)
    {
        var hex = (serial ?? string.Empty).Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        if (hex.Length == 0 || hex.Length > 42 || !hex.All(Uri.IsHexDigit))
        {
            throw PkiException.Malformed("a certificate's target is its serial number in hex");
        }

        if (hex.Length % 2 == 1)
        {
            hex = "0" + hex;
        }

        return hex.Length > 2 && hex.StartsWith("00", StringComparison.Ordinal) ? hex[2..] : hex;
    }
}
