using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>
/// dns-01 (RFC 8555 8.4): a TXT record at <c>_acme-challenge.{domain}</c> (the base domain of a wildcard) whose value
/// is base64url(SHA-256(key authorization)), looked up through <c>Pki:Acme:DnsResolvers</c>.
/// </summary>
public sealed class Dns01Validator : IChallengeValidator
{
    private readonly IAcmeDnsResolver _resolver;

    public Dns01Validator(IAcmeDnsResolver resolver)
    {
        _resolver = resolver;
    }

    public string Type => AcmeChallenge.Dns01;

    public async Task ValidateAsync(AcmeIdentifier identifier, AcmeChallenge challenge, string keyAuthorization, CancellationToken cancellationToken)
    {
        if (identifier.Type != AcmeIdentifier.Dns)
        {
            throw new ChallengeFailedException(AcmeErrorType.Malformed, "dns-01 proves DNS names only (RFC 8738 7)");
        }

        await CheckTxtAsync(_resolver, "_acme-challenge." + identifier.Value, keyAuthorization, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The TXT records at <paramref name="name"/> include the key authorization's digest (RFC 8555 8.4); shared with dns-account-01.</summary>
    internal static async Task CheckTxtAsync(IAcmeDnsResolver resolver, string name, string keyAuthorization, CancellationToken cancellationToken)
    {
        var expected = KeyAuthorizations.DnsTxtValue(keyAuthorization);
        var records = await resolver.ResolveTxtAsync(name, cancellationToken).ConfigureAwait(false);
        if (records.Count == 0)
        {
            throw new ChallengeFailedException(AcmeErrorType.Dns, $"no TXT record at {name}");
        }

        if (!records.Contains(expected, StringComparer.Ordinal))
        {
            throw new ChallengeFailedException(AcmeErrorType.IncorrectResponse, $"none of the {records.Count} TXT records at {name} is \"{expected}\"");
        }
    }
}
