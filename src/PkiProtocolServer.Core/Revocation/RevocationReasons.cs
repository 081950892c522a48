using System.Globalization;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Revocation;

/// <summary>Reads reason codes as operators and protocols write them, and names them back.</summary>
public static class RevocationReasons
{
    /// <summary>
    /// The reasons a revocation may carry here. certificateHold and removeFromCRL are refused: a revocation
    /// is permanent (as in Vault and the CA/B Forum baseline), so there is nothing to hold or release.
    /// </summary>
    public static readonly IReadOnlyList<RevocationReason> Accepted =
    [
        RevocationReason.Unspecified,
        RevocationReason.KeyCompromise,
        RevocationReason.CaCompromise,
        RevocationReason.AffiliationChanged,
        RevocationReason.Superseded,
        RevocationReason.CessationOfOperation,
        RevocationReason.PrivilegeWithdrawn,
        RevocationReason.AaCompromise,
    ];

    /// <summary>
    /// Parses a reason given as a code (<c>1</c>), a snake_case name (<c>key_compromise</c>) or the RFC's
    /// camelCase name (<c>keyCompromise</c>). Empty means unspecified.
    /// </summary>
    public static RevocationReason Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return RevocationReason.Unspecified;
        }

        var trimmed = text.Trim();
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return FromCode(code);
        }

        var folded = new string(trimmed.Where(c => c is not ('_' or '-')).ToArray());
        foreach (var reason in Enum.GetValues<RevocationReason>())
        {
            if (string.Equals(reason.ToString(), folded, StringComparison.OrdinalIgnoreCase))
            {
                return EnsureAccepted(reason);
            }
        }

        throw PkiException.Malformed($"reason '{text}' is not a revocation reason; use one of {string.Join(", ", Accepted.Select(Name))} or its RFC 5280 code");
    }

    /// <summary>The reason for an RFC 5280 code; refuses codes that are not accepted here.</summary>
    public static RevocationReason FromCode(int code)
    {
        if (!Enum.IsDefined((RevocationReason)code))
        {
            throw PkiException.Malformed($"revocation reason code {code} does not exist in RFC 5280");
        }

        return EnsureAccepted((RevocationReason)code);
    }

    /// <summary>The snake_case name used by the admin API: <c>key_compromise</c>.</summary>
    public static string Name(RevocationReason reason) => reason switch
    {
        RevocationReason.CaCompromise => "ca_compromise",
        RevocationReason.AaCompromise => "aa_compromise",
        RevocationReason.RemoveFromCrl => "remove_from_crl",
        _ => string.Concat(reason.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
    };

    private static RevocationReason EnsureAccepted(RevocationReason reason) =>
        Accepted.Contains(reason)
            ? reason
            : throw PkiException.Malformed($"reason {Name(reason)} is not accepted: revocations here are permanent, so certificates cannot be put on hold or taken off a CRL");
}
