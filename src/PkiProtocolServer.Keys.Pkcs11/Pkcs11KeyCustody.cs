using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// CA keys on a PKCS#11 token (an HSM, or SoftHSM2 for development): generated on the token as
/// sensitive, non-extractable signing keys, and used there; the private key never enters this process.
/// </summary>
/// <remarks>
/// The module is loaded and the user logged in on first use (or <see cref="ConnectAsync"/>), not in the
/// constructor, so a server whose HSM is briefly down still starts and reports it through readiness.
/// Key references look like <c>pkcs11:token=ca;object=root-2026;id=5c1f...</c>; <c>object</c> (CKA_LABEL)
/// and <c>id</c> (CKA_ID, hex) may each be given alone to open keys made with other tools.
/// </remarks>
public sealed class Pkcs11KeyCustody : IKeyCustody, IDisposable, IAsyncDisposable
{
    /// <summary>The custody name and key-reference scheme.</summary>
    public const string Scheme = Pkcs11KeyReference.Scheme;

    private const int IdLength = 16;

    private readonly Pkcs11KeyCustodyOptions _options;

    // Serialises connecting and every use of the one management session (sessions are not thread-safe);
    // generate, open and delete are rare, signing does not pass through here.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Pkcs11Connection? _connection;
    private bool _disposed;

    /// <summary>Creates the custody; validates <paramref name="options"/> but does not touch the module yet.</summary>
    /// <exception cref="ArgumentException">The options are unusable; the message lists every problem.</exception>
    public Pkcs11KeyCustody(Pkcs11KeyCustodyOptions options)
    {
        Pkcs11KeyCustodyOptions.ThrowIfInvalid(options);
        _options = new Pkcs11KeyCustodyOptions
        {
            ModulePath = options.ModulePath,
            TokenLabel = options.TokenLabel,
            Pin = options.Pin,
            PinFile = options.PinFile,
            PinEnvironmentVariable = options.PinEnvironmentVariable,
            SessionPoolSize = options.SessionPoolSize,
        };
    }

    /// <inheritdoc />
    public string Name => Scheme;

    /// <inheritdoc />
    public bool IsDevelopmentGrade => false;

    /// <summary>The token this custody holds keys on.</summary>
    public string TokenLabel => _options.TokenLabel;

    /// <summary>Loads the module, finds the token and logs in now, instead of on first use. For startup and readiness checks.</summary>
    /// <exception cref="PkiException">The module, token or login failed (kind <see cref="PkiErrorKind.Unavailable"/>).</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken) =>
        await UseManagementSessionAsync("connect", _ => true, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<ISigner> GenerateAsync(KeySpec spec, string label, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(label);
        return await UseConnectionAsync("key generation", connection =>
        {
            var session = connection.ManagementSession;
            var factory = connection.Factories.ObjectAttributeFactory;
            var id = RandomNumberGenerator.GetBytes(IdLength);
            var reference = Pkcs11KeyReference.Build(_options.TokenLabel, label, id);
            var publicTemplate = Pkcs11KeyTemplates.PublicKey(factory, spec, label, id);
            var privateTemplate = Pkcs11KeyTemplates.PrivateKey(factory, spec, label, id);
            IObjectHandle publicKey, privateKey;
            try
            {
                using var mechanism = connection.Factories.MechanismFactory.Create(Pkcs11KeyTemplates.GenerationMechanism(spec));
                session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out publicKey, out privateKey);
            }
            finally
            {
                Pkcs11Objects.DisposeAll(publicTemplate);
                Pkcs11Objects.DisposeAll(privateTemplate);
            }

            var (actual, spki) = Pkcs11Objects.ReadPublicKey(session, privateKey, publicKey, reference);
            if (actual != spec)
            {
                session.DestroyObject(privateKey);
                session.DestroyObject(publicKey);
                throw new PkiException(PkiErrorKind.Unavailable, $"the PKCS#11 token generated a {actual} key when asked for {spec}");
            }

            return (ISigner)new Pkcs11Signer(reference, spec, spki, privateKey, connection.Pool, connection.Factories);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ISigner> OpenAsync(string keyReference, CancellationToken cancellationToken)
    {
        var reference = ParseForThisToken(keyReference);
        return await UseConnectionAsync("key lookup", connection =>
        {
            var session = connection.ManagementSession;
            var privateKey = FindOnePrivateKey(session, reference, keyReference)
                ?? throw PkiException.NotFound($"no private key matches {keyReference} on PKCS#11 token '{_options.TokenLabel}'");
            var publicKey = FindPublicKeys(session, privateKey, reference).FirstOrDefault();
            var (spec, spki) = Pkcs11Objects.ReadPublicKey(session, privateKey, publicKey, keyReference);
            return (ISigner)new Pkcs11Signer(keyReference, spec, spki, privateKey, connection.Pool, connection.Factories);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string keyReference, CancellationToken cancellationToken)
    {
        var reference = ParseForThisToken(keyReference);
        return await UseConnectionAsync("key deletion", connection =>
        {
            var session = connection.ManagementSession;
            var privateKey = FindOnePrivateKey(session, reference, keyReference);
            var publicKeys = privateKey is null
                ? Pkcs11Objects.Find(session, CKO.CKO_PUBLIC_KEY, reference.ObjectLabel, reference.Id)
                : FindPublicKeys(session, privateKey, reference);
            if (privateKey is not null)
            {
                session.DestroyObject(privateKey);
            }

            foreach (var publicKey in publicKeys)
            {
                session.DestroyObject(publicKey);
            }

            return privateKey is not null || publicKeys.Count > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the sessions, logs out (when no other custody of this process still uses the token) and unloads the module.</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            DisposeConnection();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc cref="Dispose" />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            DisposeConnection();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="operation"/> on the management session; for tests that read attributes back.</summary>
    internal ValueTask<T> UseManagementSessionAsync<T>(string what, Func<ISession, T> operation, CancellationToken cancellationToken) =>
        UseConnectionAsync(what, connection => operation(connection.ManagementSession), cancellationToken);

    private async ValueTask<T> UseConnectionAsync<T>(string what, Func<Pkcs11Connection, T> operation, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _connection ??= Pkcs11Connection.Open(_options);
            return operation(_connection);
        }
        catch (Pkcs11Exception ex)
        {
            // The method and return code say what failed; nothing here can hold the PIN.
            throw new PkiException(PkiErrorKind.Unavailable, $"PKCS#11 {what} on token '{_options.TokenLabel}' failed: {ex.Method} returned {ex.RV}", inner: ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Pkcs11KeyReference ParseForThisToken(string keyReference)
    {
        var reference = Pkcs11KeyReference.Parse(keyReference);
        if (reference.Token is not null && !string.Equals(reference.Token, _options.TokenLabel, StringComparison.Ordinal))
        {
            throw PkiException.Malformed(
                $"key reference {keyReference} names PKCS#11 token '{reference.Token}', but this server's pkcs11 custody is configured for token '{_options.TokenLabel}'");
        }

        return reference;
    }

    /// <summary>The one private key the reference names; null if none; an error if the reference is ambiguous.</summary>
    private IObjectHandle? FindOnePrivateKey(ISession session, Pkcs11KeyReference reference, string keyReference)
    {
        var matches = Pkcs11Objects.Find(session, CKO.CKO_PRIVATE_KEY, reference.ObjectLabel, reference.Id);
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw PkiException.Conflict(
                $"{matches.Count} private keys on PKCS#11 token '{_options.TokenLabel}' match {keyReference}; name the key by its id as well (pkcs11-tool --list-objects shows the ID)"),
        };
    }

    /// <summary>The public half(s) of <paramref name="privateKey"/>: same CKA_ID when it has one, else same label.</summary>
    private static List<IObjectHandle> FindPublicKeys(ISession session, IObjectHandle privateKey, Pkcs11KeyReference reference)
    {
        var id = reference.Id ?? Pkcs11Objects.ReadBytes(session, privateKey, CKA.CKA_ID)[0];
        if (id is { Length: > 0 })
        {
            var byId = Pkcs11Objects.Find(session, CKO.CKO_PUBLIC_KEY, null, id);
            if (byId.Count <= 1 || reference.ObjectLabel is null)
            {
                return byId;
            }

            return Pkcs11Objects.Find(session, CKO.CKO_PUBLIC_KEY, reference.ObjectLabel, id);
        }

        return reference.ObjectLabel is null ? [] : Pkcs11Objects.Find(session, CKO.CKO_PUBLIC_KEY, reference.ObjectLabel, null);
    }

    private void DisposeConnection()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _connection?.Dispose();
        _connection = null;
    }
}
