namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>What the responder answers: the DER to send, and what the HTTP layer needs for its caching headers (RFC 5019 6.2).</summary>
public sealed record OcspResult
{
    public required OcspResponseStatus Status { get; init; }

    public required byte[] Der { get; init; }

    public DateTimeOffset? ThisUpdate { get; init; }

    public DateTimeOffset? NextUpdate { get; init; }

    /// <summary>False for error answers and nonce-bearing responses (single-use): those must not be cached by HTTP caches.</summary>
    public bool Cacheable { get; init; }

    /// <summary>The failure behind an internalError or tryLater answer, for the server log (never sent).</summary>
    public Exception? Failure { get; init; }

    public static OcspResult Error(OcspResponseStatus status, Exception? failure = null) =>
        new() { Status = status, Der = OcspResponseWriter.Error(status), Failure = failure };

    public static OcspResult From(CachedOcspResponse response) => new()
    {
        Status = OcspResponseStatus.Successful,
        Der = response.ResponseDer,
        ThisUpdate = response.ThisUpdate,
        NextUpdate = response.NextUpdate,
        Cacheable = true,
    };
}
