using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>A challenge validator whose proof depends on the account URL as well as the key authorization (dns-account-01).</summary>
public interface IAccountBoundChallengeValidator
{
    /// <summary>Like <see cref="IChallengeValidator.ValidateAsync"/>, with the account URL (the <c>kid</c>) the client used.</summary>
    Task ValidateAsync(AcmeIdentifier identifier, AcmeChallenge challenge, string keyAuthorization, string? accountUrl, CancellationToken cancellationToken);
}
