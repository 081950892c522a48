using System.Security.Cryptography;
using System.Text;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Est.Errors;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Est.Enrollment;

/// <summary>
/// The enrollment recipe shared by simpleenroll, simplereenroll and serverkeygen: parse and check the CSR, the channel
/// binding and (for re-enrollment) the identity, spend a one-time password, then issue through the core's
/// <see cref="ICertificateIssuer"/> at once or hold the request for an operator.
/// </summary>
public sealed class EstEnrollmentService
{
    /// <summary>RFC 7030 4.4.1.1 and 4.4.1.2: the CSR asks for the generated key to be encrypted to a key of the client's.</summary>
    private static readonly string[] KeyEncryptionAttributes = ["1.2.840.113549.1.9.16.2.37", "1.2.840.113549.1.9.16.2.54"];

    private readonly ICertificateIssuer _issuer;
    private readonly IRoleStore _roles;
    private readonly IPendingEnrollmentStore _pending;
    private readonly IEstUserStore _users;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    public EstEnrollmentService(ICertificateIssuer issuer, IRoleStore roles, IPendingEnrollmentStore pending, IEstUserStore users, IAuditLog audit, TimeProvider time)
    {
        _issuer = issuer;
        _roles = roles;
        _pending = pending;
        _users = users;
        _audit = audit;
        _time = time;
    }

    public async Task<EnrollmentOutcome> EnrollAsync(EstEnrollmentRequest request, CancellationToken cancellationToken)
    {
        var label = request.Caller.Label;
        // RFC 7030 4.4.1: for serverkeygen the CSR's public key values and signature are ignored.
        var csr = CertificationRequest.ParseDer(request.CsrDer, verifySignature: request.Operation != EstOperation.ServerKeyGen);
        if (request.Operation == EstOperation.ServerKeyGen && csr.OtherAttributeTypes.Intersect(KeyEncryptionAttributes).Any())
        {
            throw EstException.NotImplemented("this server does not encrypt generated keys to a client key (RFC 7030 4.4.1.1, 4.4.1.2); the key is protected by TLS only: send the CSR without DecryptKeyIdentifier or AsymmetricDecryptKeyIdentifier");
        }

        if (label.RequireChannelBinding)
        {
            EnsureChannelBinding(request, csr);
        }

        var role = await _roles.GetAsync(label.Role, cancellationToken).ConfigureAwait(false)
            ?? throw EstException.Unavailable($"EST label {label.DisplayName} cannot issue: its role '{label.Role}' does not exist");
        if (request.Operation == EstOperation.SimpleReenroll)
        {
            if (request.Caller.Certificate is not { } current || !request.Caller.CertificateIsOurs)
            {
                throw EstException.Forbidden("simplereenroll requires the TLS client certificate being renewed: one issued by this server, valid now (RFC 7030 4.2.2)");
            }

            ReenrollmentRules.EnsureSameIdentity(current, csr, role);
        }

        var keySpec = request.Operation == EstOperation.ServerKeyGen ? ServerKeySpec(role, csr.KeySpec) : csr.KeySpec;
        var requestHash = Convert.ToHexStringLower(SHA256.HashData(request.CsrDer));
        if (label.ManualApproval || request.Caller.User is { OneTime: true })
        {
            // Refuse now what issuance would refuse later, so no one-time password is spent and no operator is asked for it.
            await EnforcePolicyAsync(request.Caller.Actor, role, csr, keySpec, cancellationToken).ConfigureAwait(false);
        }

        await SpendOneTimePasswordAsync(request.Caller.User, requestHash, cancellationToken).ConfigureAwait(false);
        var leaf = new LeafRequest
        {
            Role = label.Role,
            IssuerRef = label.IssuerRef,
            SubjectPublicKeyInfo = csr.SubjectPublicKeyInfo,
            KeySpec = keySpec,
            CommonName = csr.CommonName,
            Names = csr.Names,
            Actor = request.Caller.Actor,
        };

        return label.ManualApproval
            ? await ManualAsync(request, csr, requestHash, leaf, cancellationToken).ConfigureAwait(false)
            : new EnrollmentOutcome.Issued(await IssueAsync(request.Operation, leaf, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The role's verdict ahead of issuance, audited like issuance audits its own refusals.</summary>
    private async Task EnforcePolicyAsync(string actor, Role role, CertificationRequest csr, KeySpec keySpec, CancellationToken cancellationToken)
    {
        try
        {
            RolePolicy.Enforce(role, csr.CommonName, csr.Names, keySpec, null);
        }
        catch (PkiException e)
        {
            await _audit.WriteAsync(new AuditEvent { Time = _time.GetUtcNow(), Actor = actor, Operation = "certificate.issue", Outcome = "refused", Role = role.Name, Detail = e.Message }, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private Task<IssuanceResult> IssueAsync(EstOperation operation, LeafRequest leaf, CancellationToken cancellationToken) =>
        operation == EstOperation.ServerKeyGen
            ? _issuer.IssueWithGeneratedKeyAsync(leaf with { SubjectPublicKeyInfo = [] }, leaf.KeySpec, cancellationToken)
            : _issuer.IssueAsync(leaf, cancellationToken);

    /// <summary>RFC 7030 4.2.3 with an operator in the loop: each poll (the same request again) finds its record by CSR hash.</summary>
    private async Task<EnrollmentOutcome> ManualAsync(EstEnrollmentRequest request, CertificationRequest csr, string requestHash, LeafRequest leaf, CancellationToken cancellationToken)
    {
        var label = request.Caller.Label;
        var enrollment = await _pending.FindOpenAsync(label.Name, request.Operation, requestHash, cancellationToken).ConfigureAwait(false)
            ?? await HoldAsync(
                new PendingEnrollment
                {
                    Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                    Label = label.Name,
                    Operation = request.Operation,
                    RequestHash = requestHash,
                    CsrDer = request.CsrDer,
                    Requester = request.Caller.Actor,
                    CommonName = csr.CommonName,
                    SubjectAlternativeNames = csr.Names.Describe(),
                    State = PendingEnrollmentState.Pending,
                    CreatedAt = _time.GetUtcNow(),
                },
                label.Role,
                cancellationToken).ConfigureAwait(false);

        switch (enrollment.State)
        {
            case PendingEnrollmentState.Rejected:
                throw EstException.Forbidden($"an operator rejected this enrollment request ({enrollment.Id})" + (string.IsNullOrEmpty(enrollment.Reason) ? string.Empty : ": " + enrollment.Reason));
            case PendingEnrollmentState.Approved when await _pending.ClaimAsync(enrollment.Id, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false):
                break;
            default:
                return new EnrollmentOutcome.Pending(enrollment, label.RetryAfter);
        }

        try
        {
            var result = await IssueAsync(request.Operation, leaf with { Actor = $"{leaf.Actor} (approved by {enrollment.DecidedBy})" }, cancellationToken).ConfigureAwait(false);
            await _pending.RecordSerialAsync(enrollment.Id, result.Certificate.Serial, CancellationToken.None).ConfigureAwait(false);
            return new EnrollmentOutcome.Issued(result);
        }
        catch (PkiException e)
        {
            await _pending.MarkFailedAsync(enrollment.Id, e.Message, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Records a request for an operator's decision, and audits that it is held.</summary>
    private async Task<PendingEnrollment> HoldAsync(PendingEnrollment enrollment, string role, CancellationToken cancellationToken)
    {
        var held = await _pending.AddOrGetOpenAsync(enrollment, cancellationToken).ConfigureAwait(false);
        if (held.Id == enrollment.Id)
        {
            await _audit.WriteAsync(new AuditEvent
            {
                Time = _time.GetUtcNow(),
                Actor = enrollment.Requester,
                Operation = "est.enrollment.hold",
                Outcome = "success",
                Role = role,
                Detail = $"enrollment {enrollment.Id} ({enrollment.Operation.PathName()}) for {enrollment.CommonName} waits for approval",
            }, cancellationToken).ConfigureAwait(false);
        }

        return held;
    }

    /// <summary>
    /// RFC 7030 3.5: the CSR's challengePassword must be the base64 channel binding of this TLS session, which shows the
    /// CSR was made by the party at this end of this connection (not relayed from elsewhere).
    /// </summary>
    private static void EnsureChannelBinding(EstEnrollmentRequest request, CertificationRequest csr)
    {
        if (request.Binding is not { } binding)
        {
            throw EstException.Forbidden($"EST label {request.Caller.Label.DisplayName} requires channel binding (RFC 7030 3.5), but {request.BindingUnavailable}");
        }

        if (csr.ChallengePassword is not { } presented)
        {
            throw EstException.Forbidden($"EST label {request.Caller.Label.DisplayName} requires channel binding (RFC 7030 3.5): put the base64 {binding.Type} value of this TLS session in the CSR's challengePassword");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented.Trim()), Encoding.ASCII.GetBytes(binding.ChallengePassword)))
        {
            throw EstException.Forbidden($"the CSR's challengePassword is not the {binding.Type} channel binding of this TLS session (RFC 7030 3.5): the CSR must be made inside the connection that sends it");
        }
    }

    /// <summary>A one-time password authenticates one request: consumed for this CSR, or refused if spent on another.</summary>
    private async Task SpendOneTimePasswordAsync(EstUser? user, string requestHash, CancellationToken cancellationToken)
    {
        if (user is { OneTime: true }
            && !await _users.TryConsumeAsync(user.Label, user.Name, requestHash, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            throw EstException.Unauthorized("EST " + (user.Label.Length == 0 ? "default" : user.Label));
        }
    }

    /// <summary>
    /// The key to generate for serverkeygen: the type of the CSR's key when the role allows it (the CSR is how a device
    /// says what it wants), else the role's own type at its minimum size.
    /// </summary>
    internal static KeySpec ServerKeySpec(Role role, KeySpec requested)
    {
        var refused = RolePolicy.Check(role with { RequireCn = false }, null, SubjectNames.Empty, requested, null);
        if (refused.Count == 0)
        {
            return requested;
        }

        return Wire.CsrAttributes.KeyOf(role) ?? KeySpec.EcP256;
    }
}
