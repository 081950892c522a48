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

    public NewOrderService(IOrderStore orders, IAuthorizationStore authorizations, ICertificateIssuer issuer, TimeProvider time, IOptions<AcmeOptions> options)
    {
        _orders = orders;
        _authorizations = authorizations;
        _issuer = issuer;
        _time = time;
        _options = options.Value;
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

    public async Task<AcmeOrder> CreateAsync(AcmeAccount account, AcmeDirectory directory, IReadOnlyList<AcmeIdentifier> identifiers, CancellationToken cancellationToken)
    {
        await CheckPolicyAsync(directory, identifiers, cancellationToken).ConfigureAwait(false);

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
                Challenges = ChallengeTypesFor(identifier).Select(type => new AcmeChallenge { Id = AcmeIds.New(), Type = type, Token = AcmeIds.New() }).ToList(),
                CreatedAt = now,
            };
            created.Add(authorization);
            authorizationIds.Add(authorization.Id);
        }

        var order = new AcmeOrder
        {
            Id = AcmeIds.New(),
            AccountId = account.Id,
            Directory = directory.Name,
            Expires = created.Count == 0 ? orderExpires : Min(orderExpires, created.Min(a => a.Expires)),
            Identifiers = identifiers,
            AuthorizationIds = authorizationIds,
            CreatedAt = now,
        };
        var stored = await _orders.AddAsync(order, created, cancellationToken).ConfigureAwait(false);
        var authorizations = await _authorizations.GetManyAsync(stored.AuthorizationIds, cancellationToken).ConfigureAwait(false);
        var refreshed = stored.Refresh(authorizations, now);
        return ReferenceEquals(refreshed, stored) ? stored : await _orders.TryUpdateAsync(refreshed, cancellationToken).ConfigureAwait(false) ?? stored;
    }

    /// <summary>RFC 8555 8.3 / 8.4 / RFC 8737 / RFC 8738: the challenges an identifier can be proven with.</summary>
    public static IReadOnlyList<string> ChallengeTypesFor(AcmeIdentifier identifier) =>
        identifier.Type == AcmeIdentifier.Ip ? [AcmeChallenge.Http01, AcmeChallenge.TlsAlpn01]
        : identifier.IsWildcard ? [AcmeChallenge.Dns01]
        : [AcmeChallenge.Http01, AcmeChallenge.Dns01, AcmeChallenge.TlsAlpn01];

    /// <summary>Asks the directory's role about every name now: a refused identifier is reported before anyone validates it.</summary>
    private async Task CheckPolicyAsync(AcmeDirectory directory, IReadOnlyList<AcmeIdentifier> identifiers, CancellationToken cancellationToken)
    {
        var names = new SubjectNames
        {
            DnsNames = identifiers.Where(i => i.Type == AcmeIdentifier.Dns).Select(i => i.Value).ToList(),
            IpAddresses = identifiers.Where(i => i.Type == AcmeIdentifier.Ip).Select(i => IPAddress.Parse(i.Value)).ToList(),
        };
        IReadOnlyList<PkiSubproblem> refusals;
        try
        {
            refusals = await _issuer.CheckNamesAsync(directory.Role, names, cancellationToken).ConfigureAwait(false);
        }
        catch (PkiException e) when (e.Kind == PkiErrorKind.NotFound)
        {
            throw new AcmeException(AcmeErrorType.ServerInternal, $"this ACME directory is not usable: its role '{directory.Role}' does not exist; tell the CA operator", 503);
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
