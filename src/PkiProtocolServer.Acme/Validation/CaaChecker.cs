using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>
/// CAA (RFC 8659) for one identifier: finds the relevant RRset by climbing from the name towards the root (section 3;
/// CNAMEs are followed by the resolver), then asks <see cref="CaaPolicy"/>. It fails closed: a lookup that fails
/// (SERVFAIL, timeout) refuses, only a name without CAA records (NOERROR empty, or NXDOMAIN) allows.
/// </summary>
public sealed class CaaChecker
{
    private readonly IAcmeDnsResolver _resolver;

    public CaaChecker(IAcmeDnsResolver resolver)
    {
        _resolver = resolver;
    }

    /// <summary>
    /// Returns when CAA allows this CA to issue for the identifier (also when it does not apply: an IP address, or a
    /// directory with no <c>CaaIdentities</c>); throws a <c>caa</c> <see cref="ChallengeFailedException"/> naming the
    /// identifier and the record that refused.
    /// </summary>
    public async Task CheckAsync(AcmeIdentifier identifier, bool wildcard, IReadOnlyCollection<string> issuerDomains, string? accountUrl, string? method, CancellationToken cancellationToken)
    {
        if (identifier.Type != AcmeIdentifier.Dns || issuerDomains.Count == 0)
        {
            return;
        }

        var shown = wildcard ? "*." + identifier.Value : identifier.Value;
        var (owner, records) = await RelevantRecordsAsync(identifier.Value, shown, cancellationToken).ConfigureAwait(false);
        var refusal = CaaPolicy.Evaluate(records, wildcard, issuerDomains, accountUrl, method);
        if (refusal is not null)
        {
            throw new ChallengeFailedException(AcmeErrorType.Caa, $"CAA at {owner} forbids issuance for {shown}: {refusal}");
        }
    }

    /// <summary>RFC 8659 3: the CAA RRset of the name, else of its parent, and so on up to (not including) the root.</summary>
    public async Task<(string Owner, IReadOnlyList<CaaRecordData> Records)> RelevantRecordsAsync(string name, string shown, CancellationToken cancellationToken)
    {
        for (var current = name.TrimEnd('.'); current.Length > 0;)
        {
            IReadOnlyList<CaaRecordData> records;
            try
            {
                records = await _resolver.ResolveCaaAsync(current, cancellationToken).ConfigureAwait(false);
            }
            catch (ChallengeFailedException e)
            {
                throw new ChallengeFailedException(AcmeErrorType.Caa, $"CAA for {shown} could not be checked, so issuance is refused (RFC 8659 fails closed): {e.Message}", e);
            }

            if (records.Count > 0)
            {
                return (current, records);
            }

            var dot = current.IndexOf('.', StringComparison.Ordinal);
            current = dot < 0 ? string.Empty : current[(dot + 1)..];
        }

        return (name, []);
    }
}
