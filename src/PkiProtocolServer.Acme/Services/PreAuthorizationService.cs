using System.Text.Json;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// Pre-authorization (RFC 8555 7.4.1): an account asks for an authorization of one identifier before any order. The
/// identifier follows newOrder's rules and the directory's role is asked about it the same way; a wildcard is
/// refused (7.4.1: the identifier of a pre-authorization is exactly the authorization's, which never carries
/// <c>*.</c>). A later newOrder of the account reuses the authorization once it is valid, so the system that holds
/// DNS credentials can validate while another system orders.
/// </summary>
public sealed class PreAuthorizationService
{
    private readonly IAuthorizationStore _authorizations;
    private readonly NewOrderService _orders;
    private readonly TimeProvider _time;
    private readonly AcmeOptions _options;

    public PreAuthorizationService(IAuthorizationStore authorizations, NewOrderService orders, TimeProvider time, IOptions<AcmeOptions> options)
    {
        _authorizations = authorizations;
        _orders = orders;
        _time = time;
        _options = options.Value;
    }

    /// <summary>The <c>identifier</c> of a newAuthz payload, checked and normalised; other members (such as ACME draft clients' <c>resource</c>) are ignored.</summary>
    public static AcmeIdentifier ReadIdentifier(JsonElement payload)
    {
        if (!payload.TryGetProperty("identifier", out var item) || item.ValueKind != JsonValueKind.Object)
        {
            throw AcmeException.Malformed("newAuthz needs \"identifier\": an object {\"type\", \"value\"} (RFC 8555 7.4.1)");
        }

        var identifier = AcmeIdentifier.Parse(StringMember(item, "type"), StringMember(item, "value"));
        if (identifier.IsWildcard)
        {
            throw AcmeException.Malformed("a wildcard name cannot be pre-authorized (RFC 8555 7.4.1); order it, and answer dns-01 for its base domain");
        }

        return identifier;
    }

    public async Task<AcmeAuthorization> CreateAsync(AcmeAccount account, AcmeDirectory directory, AcmeIdentifier identifier, CancellationToken cancellationToken)
    {
        await _orders.CheckPolicyAsync(directory.IssuanceOf(directory.DefaultProfile).Role, [identifier], cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var authorization = new AcmeAuthorization
        {
            Id = AcmeIds.New(),
            AccountId = account.Id,
            Directory = directory.Name,
            Identifier = identifier,
            Expires = now + _options.PendingAuthorizationLifetime,
            Challenges = NewOrderService.ChallengeTypesFor(identifier, _options.DnsAccount01Enabled)
                .Select(type => new AcmeChallenge { Id = AcmeIds.New(), Type = type, Token = AcmeIds.New() })
                .ToList(),
            CreatedAt = now,
        };
        return await _authorizations.AddAsync(authorization, cancellationToken).ConfigureAwait(false);
    }

    private static string? StringMember(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
