using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Resources;

/// <summary>The directory object (RFC 8555 7.1.1).</summary>
public sealed record DirectoryResource(
    string NewNonce,
    string NewAccount,
    string NewOrder,
    string RevokeCert,
    string KeyChange,
    string RenewalInfo,
    DirectoryMeta Meta)
{
    /// <summary>Pre-authorization (RFC 8555 7.4.1): offered by every directory.</summary>
    public string? NewAuthz { get; init; }
}

/// <summary>The directory's <c>meta</c> (RFC 8555 7.1.1), with <c>profiles</c> (name → description, draft-ietf-acme-profiles).</summary>
public sealed record DirectoryMeta(string? TermsOfService, string? Website, IReadOnlyList<string>? CaaIdentities, bool ExternalAccountRequired, IReadOnlyDictionary<string, string>? Profiles = null);

/// <summary>An account object (RFC 8555 7.1.2).</summary>
public sealed record AccountResource(
    AccountStatus Status,
    IReadOnlyList<string> Contact,
    bool? TermsOfServiceAgreed,
    string Orders,
    object? ExternalAccountBinding)
{
    public static AccountResource From(AcmeAccount account, AcmeUrls urls) => new(
        account.Status,
        account.Contact,
        account.TermsOfServiceAgreed ? true : null,
        urls.AccountOrders(account.Id),
        account.ExternalAccountKeyId is null ? null : new { kid = account.ExternalAccountKeyId });
}

/// <summary>An order object (RFC 8555 7.1.3).</summary>
public sealed record OrderResource(
    OrderStatus Status,
    DateTimeOffset Expires,
    IReadOnlyList<AcmeIdentifier> Identifiers,
    IReadOnlyList<string> Authorizations,
    string Finalize,
    AcmeProblem? Error,
    string? Certificate,
    string? Profile = null,
    string? Replaces = null)
{
    public static OrderResource From(AcmeOrder order, AcmeUrls urls) => new(
        order.Status,
        order.Expires,
        order.Identifiers,
        order.AuthorizationIds.Select(urls.Authorization).ToList(),
        urls.Finalize(order.Id),
        order.Error,
        order.CertificateId is null ? null : urls.Certificate(order.CertificateId),
        order.Profile,
        order.Replaces);
}

/// <summary>An authorization object (RFC 8555 7.1.4).</summary>
public sealed record AuthorizationResource(
    AcmeIdentifier Identifier,
    AuthorizationStatus Status,
    DateTimeOffset Expires,
    IReadOnlyList<ChallengeResource> Challenges,
    bool? Wildcard)
{
    public static AuthorizationResource From(AcmeAuthorization authorization, DateTimeOffset now, AcmeUrls urls) => new(
        authorization.Identifier,
        authorization.StatusAt(now),
        authorization.Expires,
        authorization.Challenges.Select(c => ChallengeResource.From(authorization, c, urls)).ToList(),
        authorization.Wildcard ? true : null);
}

/// <summary>A challenge object (RFC 8555 7.1.5, 8).</summary>
public sealed record ChallengeResource(
    string Type,
    string Url,
    ChallengeStatus Status,
    string Token,
    DateTimeOffset? Validated,
    AcmeProblem? Error)
{
    public static ChallengeResource From(AcmeAuthorization authorization, AcmeChallenge challenge, AcmeUrls urls) => new(
        challenge.Type,
        urls.Challenge(authorization.Id, challenge.Id),
        challenge.Status,
        challenge.Token,
        challenge.Validated,
        // A failed attempt that will be retried is not shown as the challenge's error until the last attempt fails.
        challenge.Status == ChallengeStatus.Invalid ? challenge.Error : null);
}

/// <summary>The list of an account's orders (RFC 8555 7.1.2.1).</summary>
public sealed record OrdersListResource(IReadOnlyList<string> Orders);
