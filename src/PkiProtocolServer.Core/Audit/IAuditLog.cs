namespace PkiProtocolServer.Core.Audit;

/// <summary>Where audit events go. Writing must be durable before the operation is acknowledged.</summary>
public interface IAuditLog
{
    ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
}
