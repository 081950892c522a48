using System.Text;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// Which PKCS#11 module and token hold the CA keys, and where the user PIN comes from.
/// </summary>
/// <remarks>
/// PIN precedence: the first <em>configured</em> source wins, in this order:
/// <see cref="PinEnvironmentVariable"/>, then <see cref="PinFile"/>, then <see cref="Pin"/>.
/// A configured source that turns out empty (variable unset, file missing or empty) is an error, not a
/// fall-through: a secret mount that failed must not silently leave the server on a stale literal PIN.
/// </remarks>
public sealed class Pkcs11KeyCustodyOptions
{
    /// <summary>The default module: SoftHSM2 as Debian installs it.</summary>
    public const string DefaultModulePath = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>PKCS#11 token labels are 32 bytes, blank padded (CK_TOKEN_INFO.label).</summary>
    public const int MaxTokenLabelBytes = 32;

    /// <summary>Path of the vendor's PKCS#11 shared library.</summary>
    public string ModulePath { get; set; } = DefaultModulePath;

    /// <summary>Label of the token (CKA token label, as <c>softhsm2-util --show-slots</c> prints it) that holds the keys.</summary>
    public string TokenLabel { get; set; } = "";

    /// <summary>The user PIN itself. Lowest precedence; prefer <see cref="PinFile"/> or <see cref="PinEnvironmentVariable"/>.</summary>
    public string? Pin { get; set; }

    /// <summary>A file whose content (trailing newline removed) is the user PIN, e.g. a mounted secret.</summary>
    public string? PinFile { get; set; }

    /// <summary>The name of an environment variable that holds the user PIN. Highest precedence.</summary>
    public string? PinEnvironmentVariable { get; set; }

    /// <summary>
    /// Most PKCS#11 sessions open for signing at once. Sessions are not thread-safe, so this bounds the
    /// signatures in flight; further callers wait for a session.
    /// </summary>
    public int SessionPoolSize { get; set; } = 8;

    /// <summary>Every problem with <paramref name="options"/>, each as a sentence naming the setting; empty when usable.</summary>
    public static IReadOnlyList<string> Validate(Pkcs11KeyCustodyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ModulePath))
        {
            errors.Add("ModulePath is empty: set it to the PKCS#11 library, e.g. " + DefaultModulePath);
        }
        else if (Path.IsPathRooted(options.ModulePath) && !File.Exists(options.ModulePath))
        {
            errors.Add($"ModulePath '{options.ModulePath}' does not exist (for SoftHSM2: apt-get install softhsm2)");
        }

        if (string.IsNullOrWhiteSpace(options.TokenLabel))
        {
            errors.Add("TokenLabel is empty: set it to the label of the token that holds the CA keys");
        }
        else if (Encoding.UTF8.GetByteCount(options.TokenLabel) > MaxTokenLabelBytes)
        {
            errors.Add($"TokenLabel '{options.TokenLabel}' is longer than the {MaxTokenLabelBytes} bytes a PKCS#11 token label can hold");
        }

        if (options.SessionPoolSize is < 1 or > 1024)
        {
            errors.Add($"SessionPoolSize {options.SessionPoolSize} is out of range: use 1 to 1024");
        }

        try
        {
            _ = options.ResolvePin();
        }
        catch (PkiException ex)
        {
            errors.Add(ex.Message);
        }

        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem when <paramref name="options"/> is unusable.</summary>
    public static void ThrowIfInvalid(Pkcs11KeyCustodyOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("PKCS#11 key custody is misconfigured: " + string.Join("; ", errors), nameof(options));
        }
    }

    /// <summary>The user PIN from the highest-precedence configured source (see the type's remarks).</summary>
    /// <exception cref="PkiException">No source is configured, or the configured one is empty. The message never holds the PIN.</exception>
    internal string ResolvePin()
    {
        if (!string.IsNullOrWhiteSpace(PinEnvironmentVariable))
        {
            var value = Environment.GetEnvironmentVariable(PinEnvironmentVariable);
            return string.IsNullOrEmpty(value)
                ? throw new PkiException(PkiErrorKind.Unavailable, $"PinEnvironmentVariable names '{PinEnvironmentVariable}', but that environment variable is not set or empty")
                : value;
        }

        if (!string.IsNullOrWhiteSpace(PinFile))
        {
            string content;
            try
            {
                content = File.ReadAllText(PinFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new PkiException(PkiErrorKind.Unavailable, $"PinFile '{PinFile}' cannot be read: {ex.GetType().Name}");
            }

            // Files written by `echo` or editors end in a newline that is not part of the PIN.
            content = content.TrimEnd('\r', '\n');
            return content.Length == 0
                ? throw new PkiException(PkiErrorKind.Unavailable, $"PinFile '{PinFile}' is empty")
                : content;
        }

        return string.IsNullOrEmpty(Pin)
            ? throw new PkiException(PkiErrorKind.Unavailable, "no PKCS#11 user PIN is configured: set PinEnvironmentVariable, PinFile or Pin")
            : Pin;
    }
}
