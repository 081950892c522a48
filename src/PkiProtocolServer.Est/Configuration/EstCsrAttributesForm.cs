namespace PkiProtocolServer.Est.Configuration;

/// <summary>Which encoding of the CSR attributes response (<c>/csrattrs</c>) a label serves.</summary>
public enum EstCsrAttributesForm
{
    /// <summary>
    /// RFC 7030 4.5.2 as clarified by RFC 9908 section 3: bare OIDs and attributes (the key type with its curve or size,
    /// an extensionRequest with the extension values the role sets, the signature algorithm).
    /// </summary>
    Rfc7030,

    /// <summary>RFC 9908 section 3.4: a single CertificationRequestInfoTemplate, with the subject and extensions to fill in.</summary>
    Template,
}
