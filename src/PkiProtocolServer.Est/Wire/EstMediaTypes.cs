namespace PkiProtocolServer.Est.Wire;

/// <summary>The media types of RFC 7030 section 4 (with RFC 8951 section 3.2 on the certs-only form).</summary>
public static class EstMediaTypes
{
    /// <summary>A PKCS#10 request (simpleenroll, simplereenroll, serverkeygen), RFC 5967.</summary>
    public const string Pkcs10 = "application/pkcs10";

    /// <summary>CMS SignedData holding only certificates (cacerts, enrollment responses), RFC 5751 3.2.2.</summary>
    public const string CertsOnly = "application/pkcs7-mime; smime-type=certs-only";

    /// <summary>The CSR attributes response, RFC 7030 4.5.2.</summary>
    public const string CsrAttrs = "application/csrattrs";

    /// <summary>An unencrypted PKCS#8 private key in a serverkeygen response, RFC 7030 4.4.2.</summary>
    public const string Pkcs8 = "application/pkcs8";

    /// <summary>Full PKI Request / Response (fullcmc), RFC 5272; answered 501 here.</summary>
    public const string PkcsCmc = "application/pkcs7-mime; smime-type=CMC-request";

    public const string MultipartMixed = "multipart/mixed";

    /// <summary>RFC 8951 section 3.1: every EST body is base64 (the header is sent, and ignored on input).</summary>
    public const string TransferEncodingHeader = "Content-Transfer-Encoding";
}
