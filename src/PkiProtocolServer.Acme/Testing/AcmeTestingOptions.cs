using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace PkiProtocolServer.Acme.Testing;

/// <summary>
/// <c>Pki:Acme:Testing</c>: knobs that make the server misbehave on purpose, so ACME clients can be tested against
/// it (as Pebble's environment variables do). All off by default; each one that is on is logged as a warning at
/// start and shown in the start banner. Never turn them on for a CA that issues real certificates.
/// </summary>
public sealed class AcmeTestingOptions
{
    /// <summary>
    /// The fraction (0..1) of otherwise valid nonces rejected with <c>badNonce</c>; the client must retry with the
    /// fresh <c>Replay-Nonce</c> (RFC 8555 6.5). Pebble's PEBBLE_WFE_NONCEREJECT is the same in percent (10 = 0.1),
    /// drawn at random; here the rejections are spread evenly (every tenth at 0.1, every other at 0.5).
    /// </summary>
    [Range(0.0, 1.0)]
    public double BadNonceRate { get; set; }

    /// <summary>Every validation succeeds without contacting the client (as PEBBLE_VA_ALWAYS_VALID).</summary>
    public bool AlwaysValid { get; set; }

    /// <summary>A wait before each validation attempt (as Pebble's validation sleep); zero = none.</summary>
    public TimeSpan ValidationDelay { get; set; }

    /// <summary>Reuse an account's valid authorizations for new orders (RFC 8555 7.1.3 allows it); false = every order gets new ones (as PEBBLE_AUTHZREUSE=0).</summary>
    public bool AuthorizationReuse { get; set; } = true;

    /// <summary>One sentence per knob that is on; empty when the server behaves normally.</summary>
    public IReadOnlyList<string> Active()
    {
        var active = new List<string>();
        if (BadNonceRate > 0)
        {
            active.Add(string.Create(CultureInfo.InvariantCulture, $"Pki:Acme:Testing:BadNonceRate={BadNonceRate}: that fraction of valid nonces is rejected with badNonce"));
        }

        if (AlwaysValid)
        {
            active.Add("Pki:Acme:Testing:AlwaysValid=true: every challenge validates without contacting the client; anyone can get a certificate for any name the role allows");
        }

        if (ValidationDelay > TimeSpan.Zero)
        {
            active.Add(string.Create(CultureInfo.InvariantCulture, $"Pki:Acme:Testing:ValidationDelay={ValidationDelay}: each validation attempt waits this long first"));
        }

        if (!AuthorizationReuse)
        {
            active.Add("Pki:Acme:Testing:AuthorizationReuse=false: valid authorizations are not reused; every order gets new ones");
        }

        return active;
    }
}
