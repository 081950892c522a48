using System.Security.Cryptography;
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// A PKCS#11 module loaded once per process and shared by every custody that names it.
/// </summary>
/// <remarks>
/// C_Initialize and C_Finalize are process-wide, and a user login on one session logs in every session
/// of the process on that token. Two custodies that each loaded, logged in, logged out and finalized on
/// their own would tear down each other's sessions, so loading and login are reference counted here.
/// </remarks>
internal sealed class Pkcs11Module
{
    private static readonly Lock RegistryGate = new();
    private static readonly Dictionary<string, Pkcs11Module> Loaded = new(StringComparer.Ordinal);

    private readonly Lock _loginGate = new();
    private readonly Dictionary<ulong, LoginRecord> _logins = [];
    private readonly string _path;
    private int _references;

    private Pkcs11Module(string path, IPkcs11Library library, Pkcs11InteropFactories factories)
    {
        _path = path;
        Library = library;
        Factories = factories;
    }

    public IPkcs11Library Library { get; }

    public Pkcs11InteropFactories Factories { get; }

    /// <summary>Loads (C_Initialize) the module at <paramref name="modulePath"/>, or shares the copy already loaded.</summary>
    public static Pkcs11Module Acquire(string modulePath)
    {
        var key = Path.IsPathRooted(modulePath) ? Path.GetFullPath(modulePath) : modulePath;
        lock (RegistryGate)
        {
            if (!Loaded.TryGetValue(key, out var module))
            {
                LibdlResolver.EnsureInstalled();
                var factories = new Pkcs11InteropFactories();
                IPkcs11Library library;
                try
                {
                    // Multi-threaded: the module uses OS locking, and the session pool signs from many threads.
                    library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, key, AppType.MultiThreaded);
                }
                catch (Pkcs11Exception ex)
                {
                    throw new PkiException(PkiErrorKind.Unavailable, $"PKCS#11 module '{key}' failed to initialize: {ex.Method} returned {ex.RV}", inner: ex);
                }
                catch (Exception ex) when (ex is UnmanagedException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
                {
                    throw new PkiException(PkiErrorKind.Unavailable, $"PKCS#11 module '{key}' cannot be loaded: {ex.Message}", inner: ex);
                }

                module = new Pkcs11Module(key, library, factories);
                Loaded.Add(key, module);
            }

            module._references++;
            return module;
        }
    }

    /// <summary>Drops one reference; the last one finalizes and unloads the module.</summary>
    public void Release()
    {
        lock (RegistryGate)
        {
            if (--_references > 0)
            {
                return;
            }

            Loaded.Remove(_path);
            Library.Dispose();
        }
    }

    /// <summary>
    /// Logs the process in to the token in <paramref name="slotId"/> as the user, unless another custody
    /// of this process already did with the same PIN. Pair every success with <see cref="ReleaseLogin"/>.
    /// </summary>
    public void Login(ISession session, ulong slotId, string tokenLabel, string pin)
    {
        // Only a hash is kept, to tell a second custody with a different PIN that it would not have been
        // checked: a token answers CKR_USER_ALREADY_LOGGED_IN before it looks at the PIN.
        var pinHash = SHA256.HashData(Encoding.UTF8.GetBytes(pin));
        lock (_loginGate)
        {
            if (_logins.TryGetValue(slotId, out var record))
            {
                if (!CryptographicOperations.FixedTimeEquals(record.PinHash, pinHash))
                {
                    throw new PkiException(PkiErrorKind.Unavailable,
                        $"PKCS#11 login to token '{tokenLabel}' refused: this process is already logged in to that token with a different PIN");
                }

                record.Count++;
                return;
            }

            var pinBytes = Encoding.UTF8.GetBytes(pin);
            try
            {
                session.Login(CKU.CKU_USER, pinBytes);
            }
            catch (Pkcs11Exception ex) when (ex.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Logged in by code outside this registry (same process); the token keeps that state.
            }
            catch (Pkcs11Exception ex)
            {
                throw new PkiException(PkiErrorKind.Unavailable, $"PKCS#11 login to token '{tokenLabel}' failed: {DescribeLoginFailure(ex.RV)}", inner: ex);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pinBytes);
            }

            _logins.Add(slotId, new LoginRecord(pinHash));
        }
    }

    /// <summary>Drops one login reference; logs out through <paramref name="session"/> when it was the last.</summary>
    public void ReleaseLogin(ISession session, ulong slotId)
    {
        lock (_loginGate)
        {
            if (!_logins.TryGetValue(slotId, out var record) || --record.Count > 0)
            {
                return;
            }

            _logins.Remove(slotId);
            try
            {
                session.Logout();
            }
            catch (Pkcs11Exception)
            {
                // Already logged out (device reset, sessions gone): nothing left to undo.
            }
        }
    }

    private static string DescribeLoginFailure(CKR rv) => rv switch
    {
        CKR.CKR_PIN_INCORRECT => "the PIN is incorrect (CKR_PIN_INCORRECT); check PinEnvironmentVariable, PinFile or Pin",
        CKR.CKR_PIN_LOCKED => "the user PIN is locked after too many wrong attempts (CKR_PIN_LOCKED); the security officer must reset it",
        CKR.CKR_PIN_EXPIRED => "the user PIN has expired (CKR_PIN_EXPIRED); set a new one with the vendor's tool",
        CKR.CKR_PIN_LEN_RANGE => "the PIN length is outside what the token accepts (CKR_PIN_LEN_RANGE)",
        CKR.CKR_USER_PIN_NOT_INITIALIZED => "the token has no user PIN yet (CKR_USER_PIN_NOT_INITIALIZED); initialize it first",
        CKR.CKR_USER_ANOTHER_ALREADY_LOGGED_IN => "the security officer is logged in to this token in this process (CKR_USER_ANOTHER_ALREADY_LOGGED_IN)",
        _ => $"C_Login returned {rv}",
    };

    private sealed class LoginRecord(byte[] pinHash)
    {
        public byte[] PinHash { get; } = pinHash;

        public int Count { get; set; } = 1;
    }
}
