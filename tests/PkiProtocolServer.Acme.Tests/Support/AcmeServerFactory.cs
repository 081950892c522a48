using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>
/// The real host in process on a temporary data directory, with the ACME front end on fast test timings, validation
/// DNS that maps every name to 127.0.0.1 (TXT records published by tests), http-01 pointed at a local
/// <see cref="ChallengeResponder"/> port, and an agent token for the EAB admin API.
/// </summary>
public sealed class AcmeServerFactory : WebApplicationFactory<Program>
{
    public const string SoftwarePassphrase = "test-only software keystore passphrase";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDirectory;

    public AcmeServerFactory(IDictionary<string, string?>? settings = null, string? dataDirectory = null, StaticDnsResolver? dns = null)
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? System.IO.Directory.CreateTempSubdirectory("pki-acme-tests-").FullName;
        Dns = dns ?? new StaticDnsResolver();
        AgentToken = "test-agent-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        OperatorToken = "test-operator-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Pki:Acme:ValidationRetryDelay"] = "00:00:00.200",
            ["Pki:Acme:ValidationAttempts"] = "2",
            ["Pki:Acme:ValidationTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    public StaticDnsResolver Dns { get; }

    public string AgentToken { get; }

    public string OperatorToken { get; }

    /// <summary>A client of the ACME server (HTTPS, no redirects followed) with a fresh ES256 account key unless one is given.</summary>
    public AcmeTestClient AcmeClient(TestKey? key = null, string directoryPath = "/acme/directory") =>
        new(CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false }), key ?? TestKey.Es256(), directoryPath);

    /// <summary>An admin API client with the agent persona.</summary>
    public HttpClient Agent() => Admin(AgentToken);

    /// <summary>An admin API client with the operator persona.</summary>
    public HttpClient Operator() => Admin(OperatorToken);

    private HttpClient Admin(string token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Creates an EAB key through the admin API; returns its id and HMAC key.</summary>
    public async Task<(string Id, byte[] HmacKey)> CreateEabKeyAsync(string? directory = null)
    {
        using var agent = Agent();
        var body = directory is null ? "{}" : $"{{\"directory\":\"{directory}\"}}";
        using var response = await agent.PostAsync("/api/v1/acme/eab-keys", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var json = JsonNode.Parse(text)!;
        var key = json["hmac_key"]!.GetValue<string>();
        return (json["id"]!.GetValue<string>(), Convert.FromBase64String(key.Replace('-', '+').Replace('_', '/') + new string('=', (4 - key.Length % 4) % 4)));
    }

    public string RootPem => File.ReadAllText(Path.Combine(DataDirectory, "root-ca.pem"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Pki:DataDirectory", DataDirectory);
        builder.UseSetting("Pki:Keys:Software:Passphrase", SoftwarePassphrase);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:PkiProtocolServer", "Warning");
        builder.UseSetting("Pki:Admin:Tokens:0:Name", "test-agent");
        builder.UseSetting("Pki:Admin:Tokens:0:Persona", "agent");
        builder.UseSetting("Pki:Admin:Tokens:0:Sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AgentToken))));
        builder.UseSetting("Pki:Admin:Tokens:1:Name", "test-operator");
        builder.UseSetting("Pki:Admin:Tokens:1:Persona", "operator");
        builder.UseSetting("Pki:Admin:Tokens:1:Sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(OperatorToken))));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<IAcmeDnsResolver>(Dns));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind is not a test failure.
            }
        }
    }
}
