namespace PkiProtocolServer.Core.Issuers;

/// <summary>What happens when a leaf would outlive its issuer (Vault's <c>leaf_not_after_behavior</c>).</summary>
public enum LeafNotAfterBehavior
{
    /// <summary>Refuse the issuance.</summary>
    Err,
    /// <summary>Cut the leaf's NotAfter to the issuer's.</summary>
    Truncate,
    /// <summary>Allow it (only sensible under a root; chain validation will fail past the issuer's NotAfter).</summary>
    Permit,
}
