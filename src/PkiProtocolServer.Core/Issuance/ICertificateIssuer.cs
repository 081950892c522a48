using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Issuance;

/// <summary>
/// The narrow port the protocol front ends (ACME, EST) use to get certificates: they never build one.
/// </summary>
public interface ICertificateIssuer
{
    /// <summary>Issues under <see cref="LeafRequest.Role"/> after every policy check; records it unless the role says no_store.</summary>
    Task<IssuanceResult> IssueAsync(LeafRequest request, CancellationToken cancellationToken);

    /// <summary>Issues for a verified CSR: names and key come from the CSR.</summary>
    Task<IssuanceResult> SignAsync(string role, CertificationRequest csr, TimeSpan? ttl, string actor, CancellationToken cancellationToken);

    /// <summary>
    /// Generates a key of <paramref name="keySpec"/> in memory, certifies it like <see cref="IssueAsync"/>, and returns the
    /// private key once in <see cref="IssuanceResult.PrivateKeyPem"/>; the key is never stored (EST serverkeygen, admin issue).
    /// </summary>
    Task<IssuanceResult> IssueWithGeneratedKeyAsync(LeafRequest request, KeySpec keySpec, CancellationToken cancellationToken);

    /// <summary>
    /// Which of <paramref name="names"/> the role refuses (empty when it allows them all), without issuing:
    /// front ends ask before validating names that issuance would refuse. NotFound when the role does not exist.
    /// </summary>
    Task<IReadOnlyList<PkiSubproblem>> CheckNamesAsync(string role, SubjectNames names, CancellationToken cancellationToken);
}
