using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Acme.Errors;

/// <summary>
/// The one table from errors to ACME problem documents (RFC 8555 6.7): ACME's own types with their status,
/// and the core's <see cref="PkiErrorKind"/>s translated. Audit it here, against the RFC, and nowhere else.
/// </summary>
public static class AcmeProblemTable
{
    public const string UrnPrefix = "urn:ietf:params:acme:error:";

    private static readonly Dictionary<AcmeErrorType, (string Name, int Status)> Types = new()
    {
        [AcmeErrorType.AccountDoesNotExist] = ("accountDoesNotExist", 400),
        // RFC 9773 7.4: a replaced certificate named again in "replaces" is 409 Conflict.
        [AcmeErrorType.AlreadyReplaced] = ("alreadyReplaced", 409),
        [AcmeErrorType.AlreadyRevoked] = ("alreadyRevoked", 400),
        [AcmeErrorType.BadCsr] = ("badCSR", 400),
        [AcmeErrorType.BadNonce] = ("badNonce", 400),
        [AcmeErrorType.BadPublicKey] = ("badPublicKey", 400),
        [AcmeErrorType.BadRevocationReason] = ("badRevocationReason", 400),
        [AcmeErrorType.BadSignatureAlgorithm] = ("badSignatureAlgorithm", 400),
        [AcmeErrorType.Caa] = ("caa", 403),
        [AcmeErrorType.Compound] = ("compound", 400),
        [AcmeErrorType.Connection] = ("connection", 400),
        [AcmeErrorType.Dns] = ("dns", 400),
        [AcmeErrorType.ExternalAccountRequired] = ("externalAccountRequired", 400),
        [AcmeErrorType.IncorrectResponse] = ("incorrectResponse", 400),
        [AcmeErrorType.InvalidContact] = ("invalidContact", 400),
        // draft-ietf-acme-profiles: a profile the directory does not advertise.
        [AcmeErrorType.InvalidProfile] = ("invalidProfile", 400),
        [AcmeErrorType.Malformed] = ("malformed", 400),
        [AcmeErrorType.OrderNotReady] = ("orderNotReady", 403),
        [AcmeErrorType.RateLimited] = ("rateLimited", 429),
        [AcmeErrorType.RejectedIdentifier] = ("rejectedIdentifier", 400),
        [AcmeErrorType.ServerInternal] = ("serverInternal", 500),
        [AcmeErrorType.Tls] = ("tls", 400),
        [AcmeErrorType.Unauthorized] = ("unauthorized", 403),
        [AcmeErrorType.UnsupportedContact] = ("unsupportedContact", 400),
        [AcmeErrorType.UnsupportedIdentifier] = ("unsupportedIdentifier", 400),
        [AcmeErrorType.UserActionRequired] = ("userActionRequired", 403),
    };

    /// <summary>Core errors as ACME sees them. Refusals by a role are about identifiers; a key the role refuses is a bad CSR.</summary>
    private static readonly Dictionary<PkiErrorKind, (AcmeErrorType Type, int Status)> CoreKinds = new()
    {
        [PkiErrorKind.Malformed] = (AcmeErrorType.Malformed, 400),
        [PkiErrorKind.BadCsr] = (AcmeErrorType.BadCsr, 400),
        [PkiErrorKind.PolicyRefused] = (AcmeErrorType.RejectedIdentifier, 400),
        [PkiErrorKind.NotFound] = (AcmeErrorType.Malformed, 404),
        [PkiErrorKind.Conflict] = (AcmeErrorType.Malformed, 409),
        [PkiErrorKind.Forbidden] = (AcmeErrorType.Unauthorized, 403),
        [PkiErrorKind.AlreadyRevoked] = (AcmeErrorType.AlreadyRevoked, 400),
        [PkiErrorKind.Unavailable] = (AcmeErrorType.ServerInternal, 503),
    };

    /// <summary>Role rules that judge the key rather than a name: their refusals make the CSR bad, not the identifier.</summary>
    private static readonly HashSet<string> KeyRules = new(StringComparer.Ordinal) { "key_type", "key_bits" };

    public static string Urn(AcmeErrorType type) => UrnPrefix + Types[type].Name;

    public static int StatusOf(AcmeErrorType type) => Types[type].Status;

    /// <summary>A stored or nested problem (no HTTP status of its own needed).</summary>
    public static AcmeProblem Problem(AcmeErrorType type, string detail, AcmeIdentifier? identifier = null) =>
        new() { Type = Urn(type), Detail = detail, Identifier = identifier };

    public static AcmeProblem From(AcmeException error)
    {
        var status = error.Status ?? StatusOf(error.Type);
        return new AcmeProblem
        {
            Type = Urn(error.Type),
            Detail = error.Message,
            Status = status,
            Subproblems = error.Subproblems.Count == 0 ? null : error.Subproblems,
            Algorithms = error.Type == AcmeErrorType.BadSignatureAlgorithm ? JwsAlgorithms.Supported : null,
        };
    }

    /// <summary>A core error: policy refusals become one subproblem per refused identifier (RFC 8555 6.7.1).</summary>
    public static AcmeProblem From(PkiException error)
    {
        var (type, status) = CoreKinds[error.Kind];
        IReadOnlyList<AcmeProblem>? subproblems = null;
        if (error.Kind == PkiErrorKind.PolicyRefused && error.Subproblems.Count > 0)
        {
            if (error.Subproblems.All(s => KeyRules.Contains(s.Rule)))
            {
                type = AcmeErrorType.BadCsr;
            }

            subproblems = error.Subproblems.Select(ToSubproblem).ToList();
        }

        return new AcmeProblem { Type = Urn(type), Detail = error.Message, Status = status, Subproblems = subproblems };
    }

    /// <summary>One refusal of the core, about a name (rejectedIdentifier) or about the key (badCSR).</summary>
    public static AcmeProblem ToSubproblem(PkiSubproblem refusal) =>
        KeyRules.Contains(refusal.Rule)
            ? Problem(AcmeErrorType.BadCsr, refusal.Detail)
            : Problem(AcmeErrorType.RejectedIdentifier, refusal.Detail, AcmeIdentifier.ForName(refusal.Value));

    /// <summary>The document for anything unexpected: the cause stays in the log.</summary>
    public static AcmeProblem Internal() => new()
    {
        Type = Urn(AcmeErrorType.ServerInternal),
        Detail = "the server failed; the error is logged",
        Status = 500,
    };
}
