using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PkiProtocolServer.LoadGenerator.Est;

/// <summary>
/// EST simpleenroll over mutual TLS (RFC 7030 4.2.1, 3.3.2): each worker is a device that first enrolls with the label's
/// password, then keeps one TLS connection authenticated by that certificate and enrolls again and again. CSRs are made
/// before the clock starts, so the generator measures the server, not its own key generation.
/// </summary>
public sealed class EstScenario : IScenario
{
    private readonly Uri _base;
    private readonly string _label;
    private readonly X509Certificate2Collection _trust;
    private readonly string _user;
    private readonly string _password;
    private readonly int _poolSize;
    private readonly string _keyType;
    private readonly List<HttpClient> _clients = [];
    private byte[][] _bodies = [];
    private int _next;

    public EstScenario(Arguments args)
    {
        _base = new Uri(args.Text("url", "https://localhost:8443").TrimEnd('/') + "/");
        _label = args.Text("label") is { Length: > 0 } label ? label + "/" : string.Empty;
        var trust = args.Text("cacert") ?? throw new ArgumentException("--cacert PEM is required (the server's root, e.g. data/root-ca.pem)");
        _trust = [];
        _trust.ImportFromPemFile(trust);
        _user = args.Text("user", "est");
        _password = args.Text("password")
            ?? (args.Text("password-file") is { } file ? File.ReadAllText(file).Trim() : throw new ArgumentException("--password or --password-file is required to enroll the first certificates"));
        _poolSize = args.Int("csr-pool", 512);
        _keyType = args.Text("key", "ec");
    }

    public string Description => $"EST simpleenroll over mutual TLS ({_keyType} CSRs) at {_base}.well-known/est/{_label}";

    public async Task PrepareAsync(int workers, CancellationToken cancellationToken)
    {
        _bodies = await Task.Run(() => Enumerable.Range(0, _poolSize).AsParallel().Select(i => Encoding.ASCII.GetBytes(Convert.ToBase64String(Csr($"load-{i}.devices.test")))).ToArray(), cancellationToken);
        using var bootstrap = Client(null);
        bootstrap.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_user + ":" + _password)));
        for (var worker = 0; worker < workers; worker++)
        {
            // Each device gets its own certificate by password, then authenticates with it from here on.
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var csr = new CertificateRequest($"CN=load-device-{worker}", key, HashAlgorithmName.SHA256).CreateSigningRequest();
            using var response = await PostAsync(bootstrap, Encoding.ASCII.GetBytes(Convert.ToBase64String(csr)), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"enrolling device {worker} with user '{_user}' failed: {(int)response.StatusCode} {body}");
            }

            using var issued = CertsOnly(body);
            using var joined = issued.CopyWithPrivateKey(key);
            var client = Client(X509CertificateLoader.LoadPkcs12(joined.Export(X509ContentType.Pkcs12), null));
            (await client.GetAsync($".well-known/est/{_label}cacerts", cancellationToken)).EnsureSuccessStatusCode();
            _clients.Add(client);
        }
    }

    public async Task<string?> RunOnceAsync(int worker, CancellationToken cancellationToken)
    {
        var body = _bodies[(int)((uint)Interlocked.Increment(ref _next) % (uint)_bodies.Length)];
        using var response = await PostAsync(_clients[worker], body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK && text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/pkcs7-mime"
            ? null
            : "http-" + (int)response.StatusCode;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] body, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs10");
        return client.PostAsync($".well-known/est/{_label}simpleenroll", content, cancellationToken);
    }

    /// <summary>One keep-alive HTTP/1.1 connection per device, trusting only the server's root.</summary>
    private HttpClient Client(X509Certificate2? certificate)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(_trust);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            SslOptions =
            {
                ClientCertificates = certificate is null ? null : [certificate],
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                CertificateChainPolicy = policy,
            },
        };
        return new HttpClient(handler) { BaseAddress = _base, DefaultRequestVersion = HttpVersion.Version11, Timeout = TimeSpan.FromSeconds(60) };
    }

    private byte[] Csr(string name)
    {
        if (_keyType == "rsa")
        {
            using var rsa = RSA.Create(2048);
            return new CertificateRequest("CN=" + name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();
        }

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=" + name, ec, HashAlgorithmName.SHA256).CreateSigningRequest();
    }

    /// <summary>The certificate of a base64 certs-only answer (a degenerate SignedData; .NET's SignedCms reads it).</summary>
    private static X509Certificate2 CertsOnly(string base64)
    {
        var cms = new System.Security.Cryptography.Pkcs.SignedCms();
        cms.Decode(Convert.FromBase64String(base64));
        return X509CertificateLoader.LoadCertificate(cms.Certificates[0].RawData);
    }
}
