using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace PkiProtocolServer.LoadGenerator.Acme;

/// <summary>
/// The HTTP side of an ACME client shared by every worker: the directory (RFC 8555 7.1.1), signed POSTs with a pool of
/// nonces filled from every answer's Replay-Nonce (6.5; a HEAD to newNonce only when the pool is empty), and one
/// retry path for <c>badNonce</c> (6.5: the client retries with the fresh nonce the error carried). Any other
/// problem document ends the order as an <see cref="AcmeFailure"/> named by its type.
/// </summary>
public sealed class AcmeClient : IDisposable
{
    private const string ProblemPrefix = "urn:ietf:params:acme:error:";
    private const int BadNonceRetries = 5;
    private readonly HttpClient _http;
    private readonly ConcurrentQueue<string> _nonces = new();
    private long _nonceFetches;
    private long _badNonces;
    private long _posts;

    public AcmeClient(Uri directory, X509Certificate2Collection? trust)
    {
        DirectoryUrl = directory;
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) };
        if (trust is null)
        {
            // --insecure: a test server's self-made TLS certificate; never for anything but a local load run.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(trust);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        _http = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version11, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri DirectoryUrl { get; }

    public string NewNonce { get; private set; } = string.Empty;

    public string NewAccount { get; private set; } = string.Empty;

    public string NewOrder { get; private set; } = string.Empty;

    /// <summary>Counters for the report: signed POSTs, HEADs to newNonce (pool empty), badNonce answers retried.</summary>
    public IReadOnlyDictionary<string, long> Counters => new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["signed POSTs"] = Interlocked.Read(ref _posts),
        ["newNonce HEADs"] = Interlocked.Read(ref _nonceFetches),
        ["badNonce retries"] = Interlocked.Read(ref _badNonces),
    };

    public async Task LoadDirectoryAsync(CancellationToken cancellationToken)
    {
        var directory = JsonDocument.Parse(await _http.GetStringAsync(DirectoryUrl, cancellationToken)).RootElement;
        NewNonce = directory.GetProperty("newNonce").GetString()!;
        NewAccount = directory.GetProperty("newAccount").GetString()!;
        NewOrder = directory.GetProperty("newOrder").GetString()!;
    }

    /// <summary>A signed POST of <paramref name="payload"/> (null: POST-as-GET, 6.3), retried on badNonce.</summary>
    public async Task<AcmeResponse> PostAsync(AccountKey key, string url, string? payload, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var nonce = await TakeNonceAsync(cancellationToken);
            using var content = new ByteArrayContent(key.Sign(url, nonce, payload));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
            Interlocked.Increment(ref _posts);
            using var response = await _http.PostAsync(url, content, cancellationToken);
            Keep(response);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var retryAfter = response.Headers.RetryAfter is { } r ? r.Delta ?? (r.Date is { } at ? at - DateTimeOffset.UtcNow : null) : null;
                return new AcmeResponse(response.StatusCode, response.Headers.Location?.ToString(), retryAfter, body);
            }

            var (type, detail) = Problem(body);
            if (type == "badNonce" && attempt < BadNonceRetries)
            {
                Interlocked.Increment(ref _badNonces);
                continue;
            }

            throw new AcmeFailure(type ?? "http-" + (int)response.StatusCode, $"POST {url}: {(int)response.StatusCode} {detail}");
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> TakeNonceAsync(CancellationToken cancellationToken)
    {
        if (_nonces.TryDequeue(out var nonce))
        {
            return nonce;
        }

        Interlocked.Increment(ref _nonceFetches);
        using var request = new HttpRequestMessage(HttpMethod.Head, NewNonce);
        using var response = await _http.SendAsync(request, cancellationToken);
        return response.Headers.TryGetValues("Replay-Nonce", out var values) ? values.First() : throw new AcmeFailure("no-nonce", $"HEAD {NewNonce} gave no Replay-Nonce ({(int)response.StatusCode})");
    }

    private void Keep(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Replay-Nonce", out var values))
        {
            foreach (var value in values)
            {
                _nonces.Enqueue(value);
            }
        }
    }

    private static (string? Type, string Detail) Problem(byte[] body)
    {
        try
        {
            var problem = JsonDocument.Parse(body).RootElement;
            var type = problem.TryGetProperty("type", out var t) ? t.GetString() : null;
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? string.Empty : string.Empty;
            return (type is not null && type.StartsWith(ProblemPrefix, StringComparison.Ordinal) ? type[ProblemPrefix.Length..] : type, detail);
        }
        catch (JsonException)
        {
            return (null, System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200))));
        }
    }
}
