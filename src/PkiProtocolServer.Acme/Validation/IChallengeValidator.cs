using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>Proves control of an identifier by one challenge type (RFC 8555 8.3, 8.4; RFC 8737).</summary>
public interface IChallengeValidator
{
    /// <summary><c>http-01</c>, <c>dns-01</c> or <c>tls-alpn-01</c>.</summary>
    string Type { get; }

    /// <summary>Returns when the response is right; throws <see cref="ChallengeFailedException"/> naming what was wrong.</summary>
    Task ValidateAsync(AcmeIdentifier identifier, AcmeChallenge challenge, string keyAuthorization, CancellationToken cancellationToken);
}
