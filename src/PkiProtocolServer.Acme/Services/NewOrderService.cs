using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// Creates orders (RFC 8555 7.4): identifiers checked and normalised, the directory's role asked about every name
/// before any validation work, valid authorizations of the account reused, new ones created with the challenges
/// their identifier allows (wildcards: dns-01 only, 7.1.3; IP addresses: http-01 and tls-alpn-01, RFC 8738 7).
/// </summary>
public sealed class NewOrderService
{
    private readonly IOrderStore _orders;
    private readonly IAuthorizationStore _authorizations;
    private readonly ICertificateIssuer _issuer;
    private readonly TimeProvider _time;
    private readonly AcmeOptions _options;
    private readonly ReplacementService _replacements;

    public NewOrderService(IOrderStore orders, IAuthorizationStore authorizations, ICertificateIssuer issuer, TimeProvider time, IOptions<AcmeOptions> options, ReplacementService replacements)
    {
        _orders = orders;
        _authorizations = authorizations;
        _issuer = issuer;
        _time = time;
        _options = options.Value;
        _replacements = replacements;
    }

    /// <summary>
    /// The profile a newOrder asks for (draft-ietf-acme-profiles): one the directory advertises, else invalidProfile;
    /// when none is named, the directory's default profile (null when it has none: the directory's own role).
    /// </summary>
    public static string? ReadProfile(JsonElement payload, AcmeDirectory directory)
    {
        if (!payload.TryGetProperty("profile", out var profile) || profile.ValueKind == JsonValueKind.Null)
        {
            return directory.DefaultProfile;
        }

        if (profile.ValueKind != JsonValueKind.String)
        {
            throw AcmeException.Malformed("\"profile\" must be a string");
        }

        var name = profile.GetString()!;
        return directory.Profiles.ContainsKey(name)
            ? name
            : throw new AcmeException(AcmeErrorType.InvalidProfile, directory.Profiles.Count == 0
                ? $"this directory offers no profiles; omit \"profile\" (asked: '{name}')"
                : $"no profile '{name}' here; the directory's meta.profiles lists: {string.Join(", ", directory.Profiles.Keys.Order(StringComparer.Ordinal))}");
    }

    /// <summary>The RFC 9773 certID of newOrder's <c>replaces</c>, or null.</summary>
    public static string? ReadReplaces(JsonElement payload)
    {
        if (!payload.TryGetProperty("replaces", out var replaces) || replaces.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return replaces.ValueKind == JsonValueKind.String
            ? replaces.GetString()
            : throw AcmeException.Malformed("\"replaces\" must be a certID string (RFC 9773 5)");
    }

    /// <summary>The identifiers of a newOrder payload, normalised and de-duplicated; every bad one reported at once.</summary>
    public IReadOnlyList<AcmeIdentifier> ReadIdentifiers(JsonElement payload)
    {
        if (payload.TryGetProperty("notBefore", out var notBefore) && notBefore.ValueKind != JsonValueKind.Null
            || payload.TryGetProperty("notAfter", out var notAfter) && notAfter.ValueKind != JsonValueKind.Null)
        {
            throw AcmeException.Malformed("notBefore and notAfter are not supported: the validity comes from the directory's role (RFC 8555 7.4 lets a server refuse them)");
        }

        if (!payload.TryGetProperty("identifiers", out var identifiers) || identifiers.ValueKind != JsonValueKind.Array)
        {
            throw AcmeException.Malformed("newOrder needs \"identifiers\": an array of {\"type\", \"value\"}");
        }

        if (identifiers.GetArrayLength() == 0)
        {
            throw AcmeException.Malformed("\"identifiers\" is empty: an order names at least one identifier");
        }

        if (identifiers.GetArrayLength() > _options.MaxIdentifiersPerOrder)
        {
            throw new AcmeException(AcmeErrorType.RejectedIdentifier, $"an order has at most {_options.MaxIdentifiersPerOrder} identifiers");
        }

        var parsed = new List<AcmeIdentifier>();
        var problems = new List<AcmeProblem>();
        var unsupported = false;
        foreach (var item in identifiers.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw AcmeException.Malformed("each identifier must be an object {\"type\", \"value\"}");
            }

            try
            {
                parsed.Add(AcmeIdentifier.Parse(StringMember(item, "type"), StringMember(item, "value")));
            }
            catch (AcmeException e) when (e.Type is AcmeErrorType.RejectedIdentifier or AcmeErrorType.UnsupportedIdentifier)
            {
                unsupported |= e.Type == AcmeErrorType.UnsupportedIdentifier;
                problems.AddRange(e.Subproblems.Count > 0
                    ? e.Subproblems
                    : [AcmeProblemTable.Problem(e.Type, e.Message, new AcmeIdentifier(StringMember(item, "type") ?? string.Empty, StringMember(item, "value") ?? string.Empty))]);
            }
        }

        if (problems.Count > 0)
        {
            var type = unsupported && problems.All(p => p.Type == AcmeProblemTable.Urn(AcmeErrorType.UnsupportedIdentifier))
                ? AcmeErrorType.UnsupportedIdentifier
                : AcmeErrorType.RejectedIdentifier;
            throw new AcmeException(type, problems.Count == 1 ? problems[0].Detail : $"{problems.Count} identifiers cannot be issued for", subproblems: problems);
        }

        return parsed.Distinct().ToList();
    }

    public Task<AcmeOrder> CreateAsync(AcmeAccount account, AcmeDirectory directory, IReadOnlyList<AcmeIdentifier> identifiers, CancellationToken cancellationToken) =>
        CreateAsync(account, directory, identifiers, directory.DefaultProfile, null, cancellationToken);

    /// <summary>
    /// Creates an order under <paramref name="profile"/> (checked by <see cref="ReadProfile"/>), claiming the
    /// certificate <paramref name="replaces"/> names (RFC 9773 5) before the order is stored.
    /// </summary>
    public async Task<AcmeOrder> CreateAsync(AcmeAccount account, AcmeDirectory directory, IReadOnlyList<AcmeIdentifier> identifiers, string? profile, string? replaces, CancellationToken cancellationToken)
    {
        await CheckPolicyAsync(directory.IssuanceOf(profile).Role, identifiers, cancellationToken).ConfigureAwait(false);
        var orderId = AcmeIds.New();
        var replacesCertificateId = replaces is null ? null : await _replacements.ClaimAsync(account, replaces, identifiers, orderId, cancellationToken).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var orderExpires = now + _options.OrderLifetime;
        var authorizationIds = new List<string>();
        var created = new List<AcmeAuthorization>();
        foreach (var identifier in identifiers)
        {
            var subject = identifier.WithoutWildcard();
            var reusable = _options.Testing.AuthorizationReuse
                ? await _authorizations.FindReusableAsync(account.Id, subject, identifier.IsWildcard, orderExpires, cancellationToken).ConfigureAwait(false)
                : null;
            if (reusable is not null && !authorizationIds.Contains(reusable.Id))
            {
                authorizationIds.Add(reusable.Id);
                continue;
            }

            var authorization = new AcmeAuthorization
            {
                Id = AcmeIds.New(),
                AccountId = account.Id,
                Directory = directory.Name,
                Identifier = subject,
                Wildcard = identifier.IsWildcard,
                Expires = now + _options.PendingAuthorizationLifetime,
                Challenges = ChallengeTypesFor(identifier, _options.DnsAccount01Enabled).Select(type => new AcmeChallenge { Id = AcmeIds.New(), Type = type, Token = AcmeIds.New() }).ToList(),
                CreatedAt = now,
            };
            created.Add(authorization);
            authorizationIds.Add(authorization.Id);
        }

        var order = new AcmeOrder
        {
            Id = orderId,
            AccountId = account.Id,
            Directory = directory.Name,
            Expires = created.Count == 0 ? orderExpires : Min(orderExpires, created.Min(a => a.Expires)),
            Identifiers = identifiers,
            AuthorizationIds = authorizationIds,
            CreatedAt = now,
            Profile = profile,
            Replaces = replaces,
            ReplacesCertificateId = replacesCertificateId,
        };
        var stored = await _orders.AddAsync(order, created, cancellationToken).ConfigureAwait(false);
        // The authorizations created here were just written as they are: only reused ones need reading (one round
        // trip less per order when there are none).
        var reusedIds = stored.AuthorizationIds.Where(id => !created.Any(a => a.Id == id)).ToList();
        var authorizations = reusedIds.Count == 0
            ? created
            : [.. created, .. await _authorizations.GetManyAsync(reusedIds, cancellationToken).ConfigureAwait(false)];
        var refreshed = stored.Refresh(authorizations, now);
        return ReferenceEquals(refreshed, stored) ? stored : await _orders.TryUpdateAsync(refreshed, cancellationToken).ConfigureAwait(false) ?? stored;
    }

    /// <summary>
    /// RFC 8555 8.3 / 8.4 / RFC 8737 / RFC 8738: the challenges an identifier can be proven with; with
    /// <paramref name="dnsAccount01"/>, dns-account-01 too on every DNS name (the draft allows it for wildcards).
    /// </summary>
    public static IReadOnlyList<string> ChallengeTypesFor(AcmeIdentifier identifier, bool dnsAccount01 = false) =>
        identifier.Type == AcmeIdentifier.Ip ? [AcmeChallenge.Http01, AcmeChallenge.TlsAlpn01]
        : identifier.IsWildcard ? dnsAccount01 ? [AcmeChallenge.Dns01, AcmeChallenge.DnsAccount01] : [AcmeChallenge.Dns01]
        : dnsAccount01 ? [AcmeChallenge.Http01, AcmeChallenge.Dns01, AcmeChallenge.TlsAlpn01, AcmeChallenge.DnsAccount01]
        : [AcmeChallenge.Http01, AcmeChallenge.Dns01, AcmeChallenge.TlsAlpn01];

    /// <summary>Asks a role (an order's profile's, or the directory's) about every name now: a refused identifier is reported before anyone validates it.</summary>
    public async Task CheckPolicyAsync(string role, IReadOnlyList<AcmeIdentifier> identifiers, CancellationToken cancellationToken)
    {
        var names = new SubjectNames
        {
            DnsNames = identifiers.Where(i => i.Type == AcmeIdentifier.Dns).Select(i => i.Value).ToList(),
            IpAddresses = identifiers.Where(i => i.Type == AcmeIdentifier.Ip).Select(i => IPAddress.Parse(i.Value)).ToList(),
        };
        IReadOnlyList<PkiSubproblem> refusals;
        try
        {
            refusals = await _issuer.CheckNamesAsync(role, names, cancellationToken).ConfigureAwait(false);
        }
        catch (PkiException e) when (e.Kind == PkiErrorKind.NotFound)
        {
            throw new AcmeException(AcmeErrorType.ServerInternal, $"this ACME directory is not usable: its role '{role}' does not exist; tell the CA operator", 503);
        }

        if (refusals.Count > 0)
        {
            var subproblems = refusals.Select(AcmeProblemTable.ToSubproblem).ToList();
            throw new AcmeException(
                AcmeErrorType.RejectedIdentifier,
                subproblems.Count == 1 ? subproblems[0].Detail : $"{subproblems.Count} identifiers are refused by this directory's policy: " + string.Join("; ", subproblems.Select(s => s.Detail)),
                subproblems: subproblems);
        }
    }

    private static string? StringMember(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
