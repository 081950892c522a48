namespace PkiProtocolServer.Est.ChannelBinding;

/// <summary>A TLS channel binding (RFC 5929, RFC 9266) of the connection a request came on.</summary>
/// <param name="Type"><c>tls-unique</c> (TLS 1.2) or <c>tls-exporter</c> (TLS 1.3).</param>
/// <param name="Value">The raw binding: the first Finished message, or 32 bytes of exported keying material.</param>
public sealed record ChannelBindingValue(string Type, byte[] Value)
{
    public const string TlsUnique = "tls-unique";
    public const string TlsExporter = "tls-exporter";

    /// <summary>What RFC 7030 3.5 puts in the CSR's challengePassword: the value in base64.</summary>
    public string ChallengePassword => Convert.ToBase64String(Value);
}
