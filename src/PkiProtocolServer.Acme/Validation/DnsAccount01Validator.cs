using System.Security.Cryptography;
using System.Text;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>
/// dns-account-01 (draft-ietf-acme-dns-account-label): like dns-01, a TXT record whose value is base64url(SHA-256(key
/// authorization)), but at <c>_{label}._acme-challenge.{domain}</c> where the label is the first 10 bytes of
/// SHA-256(account URL) in lower-case base32, so several accounts (several systems) can validate one name at once.
/// Offered only with <c>Pki:Acme:DnsAccount01Enabled</c>.
/// </summary>
public sealed class DnsAccount01Validator : IChallengeValidator, IAccountBoundChallengeValidator
{
    private readonly IAcmeDnsResolver _resolver;

    public DnsAccount01Validator(IAcmeDnsResolver resolver)
    {
        _resolver = resolver;
    }

    public string Type => AcmeChallenge.DnsAccount01;

    public Task ValidateAsync(AcmeIdentifier identifier, AcmeChallenge challenge, string keyAuthorization, CancellationToken cancellationToken) =>
        throw new ChallengeFailedException(AcmeErrorType.ServerInternal, "dns-account-01 needs the account URL");

    public async Task ValidateAsync(AcmeIdentifier identifier, AcmeChallenge challenge, string keyAuthorization, string? accountUrl, CancellationToken cancellationToken)
    {
        if (identifier.Type != AcmeIdentifier.Dns)
        {
            throw new ChallengeFailedException(AcmeErrorType.Malformed, "dns-account-01 proves DNS names only");
        }

        if (string.IsNullOrEmpty(accountUrl))
        {
            throw new ChallengeFailedException(AcmeErrorType.Malformed, "the account URL of this challenge is unknown; answer the challenge again");
        }

        await Dns01Validator.CheckTxtAsync(_resolver, RecordName(accountUrl, identifier.Value), keyAuthorization, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The validation domain name: <c>_{base32(SHA-256(account URL)[0..10]) lower-case}._acme-challenge.{domain}</c>.</summary>
    public static string RecordName(string accountUrl, string domain) => "_" + Label(accountUrl) + "._acme-challenge." + domain;

    /// <summary>The account label: 80 bits of the URL's SHA-256 in the RFC 4648 base32 alphabet, lower-case, 16 characters, no padding.</summary>
    public static string Label(string accountUrl)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(accountUrl)).AsSpan(0, 10);
        var text = new StringBuilder(16);
        var buffer = 0;
        var bits = 0;
        foreach (var b in digest)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        return text.ToString();
    }
}
