using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Audit;

/// <summary>Runs an operation and writes exactly one audit line for it, whatever its outcome.</summary>
public static class AuditLogExtensions
{
    public static async Task<T> AuditedAsync<T>(
        this IAuditLog audit,
        TimeProvider time,
        string actor,
        string operation,
        Func<Task<T>> action,
        Func<T, AuditEvent, AuditEvent> describe,
        AuditEvent? context,
        CancellationToken cancellationToken)
    {
        var template = (context ?? new AuditEvent { Time = default, Actor = actor, Operation = operation, Outcome = "success" }) with
        {
            Actor = actor,
            Operation = operation,
        };
        T result;
        try
        {
            result = await action().ConfigureAwait(false);
        }
        catch (PkiException ex)
        {
            var outcome = ex.Kind is PkiErrorKind.Unavailable ? "error" : "refused";
            await audit.WriteAsync(template with { Time = time.GetUtcNow(), Outcome = outcome, Detail = ex.Message }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await audit.WriteAsync(template with { Time = time.GetUtcNow(), Outcome = "error", Detail = ex.GetType().Name }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await audit.WriteAsync(describe(result, template with { Time = time.GetUtcNow(), Outcome = "success" }), cancellationToken).ConfigureAwait(false);
        return result;
    }
}
