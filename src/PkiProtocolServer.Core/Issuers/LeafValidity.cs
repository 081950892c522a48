using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Issuers;

/// <summary>Applies an issuer's <see cref="LeafNotAfterBehavior"/> to a requested NotAfter.</summary>
public static class LeafValidity
{
    public static DateTimeOffset CapToIssuer(DateTimeOffset requestedNotAfter, IssuerContext issuer)
    {
        if (requestedNotAfter <= issuer.NotAfter)
        {
            return requestedNotAfter;
        }

        return issuer.Issuer.LeafNotAfterBehavior switch
        {
            LeafNotAfterBehavior.Truncate => issuer.NotAfter,
            LeafNotAfterBehavior.Permit => requestedNotAfter,
            _ => throw new PkiException(
                PkiErrorKind.PolicyRefused,
                $"the certificate would outlive issuer '{issuer.Issuer.Name}' (until {issuer.NotAfter:u}); ask for a shorter ttl or set the issuer's leaf_not_after_behavior to truncate",
                [new("leaf_not_after_behavior", issuer.Issuer.Name, "err: refuses certificates that outlive the issuer")]),
        };
    }
}
