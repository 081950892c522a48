using System.Collections.Concurrent;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// Read-only sessions for signing. A PKCS#11 session runs one operation at a time, so each signature
/// rents one; at most <c>size</c> exist, and callers beyond that wait for one to come back.
/// </summary>
internal sealed class Pkcs11SessionPool : IDisposable
{
    private readonly ISlot _slot;
    private readonly SemaphoreSlim _gate;
    private readonly ConcurrentBag<ISession> _idle = [];
    private volatile bool _disposed;

    public Pkcs11SessionPool(ISlot slot, int size)
    {
        _slot = slot;
        _gate = new SemaphoreSlim(size, size);
    }

    /// <summary>Runs <paramref name="operation"/> on a session of its own, opening one if none is idle.</summary>
    public async ValueTask<T> RunAsync<T>(Func<ISession, T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Fast path without an await: most signatures find a free slot in the gate.
        if (!_gate.Wait(0, CancellationToken.None))
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_idle.TryTake(out var session))
            {
                // Sessions opened after the login share it: login state is per application and token.
                session = _slot.OpenSession(SessionType.ReadOnly);
            }

            var healthy = true;
            try
            {
                return operation(session);
            }
            catch (Pkcs11Exception ex) when (IsSessionLost(ex.RV))
            {
                healthy = false;
                throw;
            }
            finally
            {
                if (healthy && !_disposed)
                {
                    _idle.Add(session);
                }
                else
                {
                    CloseQuietly(session);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            CloseQuietly(session);
        }
    }

    /// <summary>Errors after which the session itself is unusable, so it must not go back to the pool.</summary>
    private static bool IsSessionLost(CKR rv) => rv is CKR.CKR_SESSION_HANDLE_INVALID or CKR.CKR_SESSION_CLOSED
        or CKR.CKR_DEVICE_REMOVED or CKR.CKR_DEVICE_ERROR or CKR.CKR_TOKEN_NOT_PRESENT or CKR.CKR_OPERATION_ACTIVE;

    private static void CloseQuietly(ISession session)
    {
        try
        {
            session.CloseSession();
        }
        catch (Pkcs11Exception)
        {
            // The session is already gone on the device side.
        }
    }
}
