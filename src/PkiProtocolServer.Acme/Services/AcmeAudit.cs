using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Core.Audit;

namespace PkiProtocolServer.Acme.Services;

/// <summary>Audit lines for ACME account changes (issuance is audited by the core, with the account as actor).</summary>
public sealed class AcmeAudit
{
    private readonly IAuditLog _log;
    private readonly TimeProvider _time;

    public AcmeAudit(IAuditLog log, TimeProvider time)
    {
        _log = log;
        _time = time;
    }

    /// <summary>The actor name of an account in audit lines and issuance records.</summary>
    public static string Actor(AcmeAccount account) => $"acme:{account.Directory}:account:{account.Id}";

    /// <summary>Writes <c>acme.account.{operation}</c> for the account; never key material, only the key's thumbprint.</summary>
    public ValueTask AccountAsync(AcmeAccount account, string operation, string? detail = null) =>
        _log.WriteAsync(
            new AuditEvent
            {
                Time = _time.GetUtcNow(),
                Actor = Actor(account),
                Operation = "acme.account." + operation,
                Outcome = "success",
                Detail = detail ?? $"key {account.KeyThumbprint}" + (account.ExternalAccountKeyId is null ? string.Empty : $", eab {account.ExternalAccountKeyId}"),
            },
            CancellationToken.None);
}
