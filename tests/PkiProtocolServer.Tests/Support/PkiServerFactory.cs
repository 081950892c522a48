using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PkiProtocolServer.Tests.Support;

/// <summary>
/// The real host in process, on its own temporary data directory, with one admin token per persona
/// (configured by hash only, as an operator would). Its startup creates the development CA
/// (dev-root, dev-intermediate as default issuer) and the <c>server-tls</c> role.
/// </summary>
public sealed class PkiServerFactory : WebApplicationFactory<Program>
{
    public const string SoftwarePassphrase = "test-only software keystore passphrase";

    public static readonly string[] Personas = ["requester", "advanced", "agent", "operator"];

    private readonly bool _ownsDirectory;

    public PkiServerFactory()
        : this(NewDataDirectory(), ownsDirectory: true)
    {
    }

    private PkiServerFactory(string dataDirectory, bool ownsDirectory)
    {
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        Tokens = Personas.ToDictionary(p => p, p => $"test-{p}-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
    }

    public string DataDirectory { get; }

    /// <summary>Extra configuration (EST labels, <c>Pki:Revocation:*</c>...), applied over the defaults before the first client is created.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>A server on an existing data directory (a restart); the caller deletes the directory.</summary>
    public static PkiServerFactory OnDirectory(string dataDirectory) => new(dataDirectory, ownsDirectory: false);

    /// <summary>Token text by persona; the server only ever sees their hashes in configuration.</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; }

    public static string NewDataDirectory() =>
        Directory.CreateTempSubdirectory("pki-host-tests-").FullName;

    public static string Sha256Hex(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>An HTTPS client, with the persona's bearer token when one is given.</summary>
    public HttpClient Https(string? persona = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        if (persona is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[persona]);
        }

        return client;
    }

    /// <summary>A client whose requests arrive as plain HTTP (the port-8080 listener).</summary>
    public HttpClient PlainHttp(string? persona = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost"), AllowAutoRedirect = false });
        if (persona is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[persona]);
        }

        return client;
    }

    public string DataPath(params string[] parts) => Path.Combine([DataDirectory, .. parts]);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Pki:DataDirectory", DataDirectory);
        builder.UseSetting("Pki:Keys:Software:Passphrase", SoftwarePassphrase);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:PkiProtocolServer", "Warning");
        for (var i = 0; i < Personas.Length; i++)
        {
            builder.UseSetting($"Pki:Admin:Tokens:{i}:Name", "test-" + Personas[i]);
            builder.UseSetting($"Pki:Admin:Tokens:{i}:Persona", Personas[i]);
            builder.UseSetting($"Pki:Admin:Tokens:{i}:Sha256", Sha256Hex(Tokens[Personas[i]]));
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind is not a test failure.
            }
        }
    }
}
