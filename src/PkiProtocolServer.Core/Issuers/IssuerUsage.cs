namespace PkiProtocolServer.Core.Issuers;

/// <summary>What an issuer may sign. A retiring issuer keeps CRL and OCSP signing but loses issuing.</summary>
[Flags]
public enum IssuerUsage
{
    None = 0,
    Issuing = 1,
    CrlSigning = 2,
    OcspSigning = 4,
    All = Issuing | CrlSigning | OcspSigning,
}
