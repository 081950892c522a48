using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// One custody's hold on its token: a reference to the shared module, the slot, a read-write management
/// session (used for generate, open and delete, and kept open so the login never lapses: a token logs the
/// application out when its last session closes) and the pool of signing sessions.
/// </summary>
internal sealed class Pkcs11Connection : IDisposable
{
    private readonly Pkcs11Module _module;

    private Pkcs11Connection(Pkcs11Module module, ISlot slot, ISession managementSession, Pkcs11SessionPool pool)
    {
        _module = module;
        Slot = slot;
        ManagementSession = managementSession;
        Pool = pool;
    }

    public ISlot Slot { get; }

    public ISession ManagementSession { get; }

    public Pkcs11SessionPool Pool { get; }

    public Pkcs11InteropFactories Factories => _module.Factories;

    public static Pkcs11Connection Open(Pkcs11KeyCustodyOptions options)
    {
        var pin = options.ResolvePin();
        var module = Pkcs11Module.Acquire(options.ModulePath);
        ISlot? slot = null;
        ISession? session = null;
        var loggedIn = false;
        try
        {
            slot = FindSlot(module, options);
            session = slot.OpenSession(SessionType.ReadWrite);
            module.Login(session, slot.SlotId, options.TokenLabel, pin);
            loggedIn = true;
            return new Pkcs11Connection(module, slot, session, new Pkcs11SessionPool(slot, options.SessionPoolSize));
        }
        catch (Pkcs11Exception ex)
        {
            Undo();
            throw new PkiException(PkiErrorKind.Unavailable, $"PKCS#11 token '{options.TokenLabel}' cannot be opened: {ex.Method} returned {ex.RV}", inner: ex);
        }
        catch
        {
            Undo();
            throw;
        }

        void Undo()
        {
            if (session is not null)
            {
                if (loggedIn)
                {
                    module.ReleaseLogin(session, slot!.SlotId);
                }

                CloseQuietly(session);
            }

            module.Release();
        }
    }

    public void Dispose()
    {
        Pool.Dispose();
        _module.ReleaseLogin(ManagementSession, Slot.SlotId);
        CloseQuietly(ManagementSession);
        _module.Release();
    }

    private static ISlot FindSlot(Pkcs11Module module, Pkcs11KeyCustodyOptions options)
    {
        var labels = new List<string>();
        var matches = new List<ISlot>();
        foreach (var slot in module.Library.GetSlotList(SlotsType.WithTokenPresent))
        {
            var token = slot.GetTokenInfo();

            // SoftHSM and others list a spare uninitialized token; it has no label worth comparing.
            if (!token.TokenFlags.TokenInitialized)
            {
                continue;
            }

            var label = token.Label.TrimEnd(' ', '\0');
            labels.Add(label);
            if (string.Equals(label, options.TokenLabel, StringComparison.Ordinal))
            {
                matches.Add(slot);
            }
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new PkiException(PkiErrorKind.Unavailable,
                $"no PKCS#11 token labelled '{options.TokenLabel}' in module '{options.ModulePath}'; tokens present: "
                + (labels.Count == 0 ? "none" : string.Join(", ", labels.Select(l => "'" + l + "'")))),
            _ => throw new PkiException(PkiErrorKind.Unavailable,
                $"{matches.Count} PKCS#11 tokens are labelled '{options.TokenLabel}' in module '{options.ModulePath}'; relabel one so the CA keys' token is unambiguous"),
        };
    }

    private static void CloseQuietly(ISession session)
    {
        try
        {
            session.CloseSession();
        }
        catch (Pkcs11Exception)
        {
            // Already closed on the device side.
        }
    }
}
