using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace PkiProtocolServer.LoadGenerator.Acme;

/// <summary>
/// One full ACME order (RFC 8555 7.4) against any ACME server, for one fresh name per order (so no authorization can be
/// reused): newOrder, POST-as-GET the authorization, POST the http-01 challenge (answered by this process's own
/// <see cref="ChallengeServer"/>), poll the authorization until valid, finalize with a P-256 CSR, poll the order until
/// valid, download the certificate. Accounts are made before the clock starts (one per worker unless
/// <c>--accounts</c> says otherwise); the CSRs' keys come from a pool made beforehand too, so the generator spends its
/// CPU on the protocol, not on key generation. Polls wait min(Retry-After, --poll): the server's hint when it asks for
/// less, never longer than --poll, so a server that always asks for seconds is not flattered by a slow client.
/// </summary>
public sealed class AcmeScenario : IScenario
{
    private readonly AcmeClient _client;
    private readonly ChallengeServer _challenges;
    private readonly int _http01Port;
    private readonly int _accountCount;
    private readonly TimeSpan _poll;
    private readonly TimeSpan _orderTimeout;
    private readonly int _keyPoolSize;
    private readonly string _runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private AccountKey[] _accounts = [];
    private ECDsa[] _csrKeys = [];
    private int[] _iterations = [];
    private int _nextKey;

    public AcmeScenario(Arguments args)
    {
        var directory = args.Text("directory") ?? throw new ArgumentException("--directory URL is required (e.g. https://localhost:8443/acme/directory)");
        X509Certificate2Collection? trust = null;
        if (args.Text("cacert") is { } cacert)
        {
            trust = [];
            trust.ImportFromPemFile(cacert);
        }
        else if (args.Text("insecure") != "true")
        {
            throw new ArgumentException("--cacert PEM is required (or --insecure true for a test server's self-made TLS certificate)");
        }

        _http01Port = args.Int("http01-port", 0) is > 0 and var port ? port : throw new ArgumentException("--http01-port PORT is required: the port the server validates http-01 on");
        _accountCount = args.Int("accounts", 0);
        _poll = args.Duration("poll", TimeSpan.FromMilliseconds(5));
        _orderTimeout = args.Duration("order-timeout", TimeSpan.FromSeconds(60));
        _keyPoolSize = args.Int("key-pool", 256);
        _client = new AcmeClient(new Uri(directory), trust);
        _challenges = new ChallengeServer(_http01Port);
    }

    public string Description => $"ACME order (newOrder, http-01, finalize P-256 CSR, download) at {_client.DirectoryUrl}, {_accounts.Length} accounts, poll {_poll.TotalMilliseconds:0} ms";

    public string Unit => "order";

    public IReadOnlyDictionary<string, long> Counters => new Dictionary<string, long>(_client.Counters, StringComparer.Ordinal)
    {
        ["http-01 requests served"] = _challenges.Served,
    };

    public async Task PrepareAsync(int workers, CancellationToken cancellationToken)
    {
        await _challenges.StartAsync(cancellationToken);
        await _client.LoadDirectoryAsync(cancellationToken);
        _csrKeys = Enumerable.Range(0, _keyPoolSize).Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP256)).ToArray();
        _iterations = new int[workers];
        _accounts = Enumerable.Range(0, _accountCount > 0 ? _accountCount : workers).Select(_ => new AccountKey()).ToArray();
        foreach (var account in _accounts)
        {
            var created = await _client.PostAsync(account, _client.NewAccount, """{"termsOfServiceAgreed":true}""", cancellationToken);
            account.Kid = created.Location ?? throw new InvalidOperationException("newAccount answered without a Location (the account URL)");
        }
    }

    public async Task<string?> RunOnceAsync(int worker, CancellationToken cancellationToken)
    {
        try
        {
            await OrderAsync(worker, cancellationToken);
            return null;
        }
        catch (AcmeFailure failure)
        {
            return failure.Kind;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "unexpected-answer:" + e.GetType().Name;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _challenges.DisposeAsync();
        foreach (var key in _csrKeys)
        {
            key.Dispose();
        }

        foreach (var account in _accounts)
        {
            account.Dispose();
        }
    }

    private async Task OrderAsync(int worker, CancellationToken cancellationToken)
    {
        var account = _accounts[worker % _accounts.Length];
        var name = $"w{worker}-i{++_iterations[worker]}.{_runId}.load.test";
        var deadline = Stopwatch.StartNew();

        var order = await _client.PostAsync(account, _client.NewOrder, $$"""{"identifiers":[{"type":"dns","value":"{{name}}"}]}""", cancellationToken);
        var orderUrl = order.Location ?? throw new AcmeFailure("no-order-url", "newOrder answered without a Location");
        var orderJson = order.Json();
        var finalizeUrl = orderJson.GetProperty("finalize").GetString()!;
        var authorizationUrl = orderJson.GetProperty("authorizations")[0].GetString()!;

        var authorization = (await _client.PostAsync(account, authorizationUrl, null, cancellationToken)).Json();
        if (authorization.GetProperty("status").GetString() != "valid")
        {
            var challenge = authorization.GetProperty("challenges").EnumerateArray().FirstOrDefault(c => c.GetProperty("type").GetString() == "http-01");
            if (challenge.ValueKind != JsonValueKind.Object)
            {
                throw new AcmeFailure("no-http-01", $"authorization {authorizationUrl} offers no http-01 challenge");
            }

            var token = challenge.GetProperty("token").GetString()!;
            _challenges.Add(token, token + "." + account.Thumbprint);
            try
            {
                await _client.PostAsync(account, challenge.GetProperty("url").GetString()!, "{}", cancellationToken);
                await PollAsync(account, authorizationUrl, "authorization", deadline, cancellationToken);
            }
            finally
            {
                _challenges.Remove(token);
            }
        }

        var csr = Csr(name);
        var finalized = await _client.PostAsync(account, finalizeUrl, $$"""{"csr":"{{AccountKey.Base64Url(csr)}}"}""", cancellationToken);
        var final = finalized.Json();
        if (final.GetProperty("status").GetString() != "valid")
        {
            final = await PollAsync(account, orderUrl, "order", deadline, cancellationToken);
        }

        var certificate = await _client.PostAsync(account, final.GetProperty("certificate").GetString()!, null, cancellationToken);
        if (!Encoding.ASCII.GetString(certificate.Body.AsSpan(0, Math.Min(certificate.Body.Length, 27))).StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new AcmeFailure("not-pem", "the certificate download is not a PEM chain");
        }
    }

    /// <summary>POST-as-GET <paramref name="url"/> until its status is valid; invalid (or the order timeout) fails the order.</summary>
    private async Task<JsonElement> PollAsync(AccountKey account, string url, string what, Stopwatch deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var response = await _client.PostAsync(account, url, null, cancellationToken);
            var json = response.Json();
            switch (json.GetProperty("status").GetString())
            {
                case "valid":
                    return json;
                case "invalid":
                    throw new AcmeFailure(what + "-invalid:" + ProblemOf(json), $"{url} became invalid");
            }

            if (deadline.Elapsed > _orderTimeout)
            {
                throw new AcmeFailure(what + "-timeout", $"{url} still {json.GetProperty("status").GetString()} after {_orderTimeout.TotalSeconds:0} s");
            }

            var wait = response.RetryAfter is { } hint && hint > TimeSpan.Zero && hint < _poll ? hint : _poll;
            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>The problem type an invalid authorization's challenge (or an invalid order) carries, for the failure kind.</summary>
    private static string ProblemOf(JsonElement resource)
    {
        var errors = resource.TryGetProperty("challenges", out var challenges)
            ? challenges.EnumerateArray().Where(c => c.TryGetProperty("error", out _)).Select(c => c.GetProperty("error"))
            : resource.TryGetProperty("error", out var error) ? [error] : [];
        var type = errors.Select(e => e.TryGetProperty("type", out var t) ? t.GetString() : null).FirstOrDefault(t => t is not null);
        return type?.Replace("urn:ietf:params:acme:error:", string.Empty, StringComparison.Ordinal) ?? "unknown";
    }

    private byte[] Csr(string name)
    {
        var key = _csrKeys[(int)((uint)Interlocked.Increment(ref _nextKey) % (uint)_csrKeys.Length)];
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        lock (key)
        {
            // A pooled key may be picked by two workers at once; one ECDsa instance is not promised to be thread-safe.
            return request.CreateSigningRequest();
        }
    }
}
