using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme.Model;

/// <summary>
/// An order (RFC 8555 7.1.3): the aggregate that owns the order status machine of 7.1.6. Pending and ready are
/// derived from its authorizations by <see cref="Refresh"/>; processing, valid and invalid are recorded.
/// </summary>
public sealed record AcmeOrder
{
    /// <summary>How long an order may stay processing before it is considered failed (a node died mid-issuance).</summary>
    public static readonly TimeSpan ProcessingTimeout = TimeSpan.FromMinutes(2);

    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required string Directory { get; init; }

    public OrderStatus Status { get; init; } = OrderStatus.Pending;

    public required DateTimeOffset Expires { get; init; }

    /// <summary>The requested identifiers, normalised, wildcards with their <c>*.</c>.</summary>
    public required IReadOnlyList<AcmeIdentifier> Identifiers { get; init; }

    /// <summary>Ids of the authorizations, in the order of <see cref="Identifiers"/>.</summary>
    public required IReadOnlyList<string> AuthorizationIds { get; init; }

    public AcmeProblem? Error { get; init; }

    /// <summary>The certificate profile the order is issued under (draft-ietf-acme-profiles); null = the directory's role.</summary>
    public string? Profile { get; init; }

    /// <summary>The RFC 9773 certID of the certificate this order replaces, as the client sent it (echoed in the order).</summary>
    public string? Replaces { get; init; }

    /// <summary>Id of the ACME certificate record <see cref="Replaces"/> names, whose replacement this order claims.</summary>
    public string? ReplacesCertificateId { get; init; }

    /// <summary>Id of the issued certificate once valid.</summary>
    public string? CertificateId { get; init; }

    public DateTimeOffset? ProcessingSince { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public long Version { get; init; }

    /// <summary>
    /// 7.1.6 from the authorizations: invalid when the order expired or any authorization is invalid, deactivated,
    /// expired or revoked; ready when all are valid; pending otherwise. A processing order that outlived
    /// <see cref="ProcessingTimeout"/> is invalid. Recorded outcomes (valid, invalid) never change.
    /// </summary>
    public AcmeOrder Refresh(IReadOnlyList<AcmeAuthorization> authorizations, DateTimeOffset now)
    {
        switch (Status)
        {
            case OrderStatus.Valid or OrderStatus.Invalid:
                return this;
            case OrderStatus.Processing:
                return now - ProcessingSince > ProcessingTimeout
                    ? Fail(AcmeProblemTable.Problem(AcmeErrorType.ServerInternal, "issuance did not complete; place a new order"))
                    : this;
        }

        if (now >= Expires)
        {
            return Fail(AcmeProblemTable.Problem(AcmeErrorType.Malformed, "the order expired before it was finalized"));
        }

        var statuses = AuthorizationIds
            .Select(id => authorizations.FirstOrDefault(a => a.Id == id)?.StatusAt(now) ?? AuthorizationStatus.Expired)
            .ToList();
        var failed = AuthorizationIds.Zip(statuses).FirstOrDefault(p => p.Second is not (AuthorizationStatus.Pending or AuthorizationStatus.Valid));
        if (failed.First is not null)
        {
            var authorization = authorizations.FirstOrDefault(a => a.Id == failed.First);
            var challengeError = authorization?.Challenges.Select(c => c.Error).FirstOrDefault(e => e is not null);
            var identifier = authorization?.Identifier;
            var detail = $"the authorization for {identifier?.Value ?? "an identifier"} is {StatusNames.Wire(failed.Second)}";
            return Fail(challengeError is null
                ? AcmeProblemTable.Problem(AcmeErrorType.Unauthorized, detail, identifier)
                : challengeError with { Detail = detail + ": " + challengeError.Detail, Identifier = identifier });
        }

        var next = statuses.All(s => s == AuthorizationStatus.Valid) ? OrderStatus.Ready : OrderStatus.Pending;
        return next == Status ? this : this with { Status = next };
    }

    /// <summary>7.4: finalize is accepted only for a ready order (else orderNotReady); ready → processing.</summary>
    public AcmeOrder BeginFinalize(DateTimeOffset now)
    {
        if (Status != OrderStatus.Ready)
        {
            throw new AcmeException(AcmeErrorType.OrderNotReady, $"the order is {StatusNames.Wire(Status)}, not ready: " + Status switch
            {
                OrderStatus.Pending => "complete its authorizations first",
                OrderStatus.Processing => "it is being finalized",
                OrderStatus.Valid => "it was finalized already; download its certificate",
                _ => "place a new order",
            });
        }

        return this with { Status = OrderStatus.Processing, ProcessingSince = now };
    }

    /// <summary>Processing → valid, with the certificate.</summary>
    public AcmeOrder Complete(string certificateId) =>
        Status == OrderStatus.Processing
            ? this with { Status = OrderStatus.Valid, CertificateId = certificateId, ProcessingSince = null }
            : throw new InvalidOperationException($"an order is completed from processing, not {Status}");

    /// <summary>Processing → ready: the CSR was refused, the client may finalize again with a better one (7.4).</summary>
    public AcmeOrder ReturnToReady() =>
        Status == OrderStatus.Processing ? this with { Status = OrderStatus.Ready, ProcessingSince = null } : this;

    /// <summary>Any state but valid → invalid with the problem (7.1.6: error or authorization failure).</summary>
    public AcmeOrder Fail(AcmeProblem problem) =>
        Status == OrderStatus.Valid ? this : this with { Status = OrderStatus.Invalid, Error = problem, ProcessingSince = null };
}
