using System.Net;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>The DNS lookups validation makes, through <c>Pki:Acme:DnsResolvers</c> or the system's resolver.</summary>
public interface IAcmeDnsResolver
{
    /// <summary>A and AAAA addresses of a name; throws a dns <see cref="ChallengeFailedException"/> when there are none.</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string name, CancellationToken cancellationToken);

    /// <summary>The TXT records of a name, each record's strings joined; empty when there are none.</summary>
    Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// The CAA records of a name (RFC 8659), after any CNAME the resolver followed; empty when the name has none or
    /// does not exist (NXDOMAIN). Throws a dns <see cref="ChallengeFailedException"/> when the lookup fails (SERVFAIL,
    /// timeout): CAA is then unknown, not absent.
    /// </summary>
    Task<IReadOnlyList<CaaRecordData>> ResolveCaaAsync(string name, CancellationToken cancellationToken);
}
