using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme;
using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Admin.Endpoints;
using PkiProtocolServer.Bootstrap;
using PkiProtocolServer.Cli;
using PkiProtocolServer.Composition;
using PkiProtocolServer.Configuration;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Est;
using PkiProtocolServer.Est.Endpoints;
using PkiProtocolServer.Est.Labels;
using PkiProtocolServer.Http;
using PkiProtocolServer.PublicEndpoints;

var builder = WebApplication.CreateBuilder(args);

if (args.Length > 0 && args[0] == "token")
{
    var cliOptions = new PkiOptions();
    builder.Configuration.GetSection(PkiOptions.Section).Bind(cliOptions);
    return TokenCommand.Run(args, cliOptions);
}

builder.Services.AddPkiServer(builder.Configuration);
builder.WebHost.ConfigureKestrel((context, kestrel) =>
{
    var options = kestrel.ApplicationServices.GetRequiredService<IOptions<PkiOptions>>().Value;
    var tls = kestrel.ApplicationServices.GetRequiredService<ServerTlsCertificate>();
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = RequestBodyLimit.MaxBytes;
    // Per-handshake options: the certificate is loaded (or issued) after the host is built. Client certificates are
    // asked for, never required: EST judges them per label (RFC 7030 3.3.2); everyone else simply sends none.
    kestrel.ListenAnyIP(options.HttpsPort, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
    {
        OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = tls.Context ?? throw new InvalidOperationException("the HTTPS certificate is not loaded yet"),
        }.RequestClientCertificate()),
    }));
    kestrel.ListenAnyIP(options.HttpPort);
});

var app = builder.Build();
var pki = app.Services.GetRequiredService<IOptions<PkiOptions>>().Value;
var startup = app.Lifetime.ApplicationStopping;

var createdCa = await app.Services.GetRequiredService<DevelopmentCa>().EnsureAsync(startup);
await app.Services.GetRequiredService<ServerTlsCertificate>().LoadOrIssueAsync(startup);
var est = app.Services.GetRequiredService<EstBootstrap>();
await est.EnsureAsync(startup);
await app.Services.GetRequiredService<AcmeDefaultRole>().EnsureAsync(startup);
var acme = app.Services.GetRequiredService<IOptions<AcmeOptions>>().Value;
var snapshot = await app.Services.GetRequiredService<IssuerCatalog>().GetAsync(startup);
var rootPath = pki.DataPath("root-ca.pem");
if (snapshot.Default is { } defaultIssuer)
{
    await File.WriteAllTextAsync(rootPath, Pem.Encode("CERTIFICATE", defaultIssuer.Chain[^1].Issuer.CertificateDer), startup);
}

var state = app.Services.GetRequiredService<StateStores>();
var stateWarnings = await state.GetWarningsAsync(startup);

var tokens = app.Services.GetRequiredService<AdminTokenRegistry>();
string? firstToken = null;
if (!tokens.HasAny)
{
    firstToken = AdminTokenRegistry.Create(pki.DataPath("admin-tokens.json"), "bootstrap-operator", Persona.Operator);
}

app.UseMiddleware<ProblemMiddleware>();
app.UseMiddleware<PlainHttpGate>();
if (acme.Enabled)
{
    // Before the host's body limit: ACME answers every request, oversized ones included, as ACME (RFC 8555 6.7).
    app.UseAcme();
}

app.UseMiddleware<RequestBodyLimit>();

app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi("/api/v1/openapi.json").AllowAnonymous();
app.MapAdminApi();
app.MapCaCertificates();
app.MapCrls();
app.MapOcsp();
app.MapEst();
app.MapHealth();
app.MapPrometheusMetrics();
if (acme.Enabled)
{
    app.MapAcme();
}

app.Lifetime.ApplicationStarted.Register(() =>
{
    var custody = app.Services.GetRequiredService<KeyCustodyRegistry>();
    var https = $"https://{pki.PublicHost}:{pki.HttpsPort}";
    var http = $"http://{pki.PublicHost}:{pki.HttpPort}";
    var lines = new List<string>
    {
        string.Empty,
        "PkiProtocolServer is running" + (createdCa ? " (a development CA was created now)" : string.Empty),
        $"  State ({state.Kind}):".PadRight(27) + state.Location,
        $"  Admin API:               {https}/api/v1   (OpenAPI: {https}/api/v1/openapi.json)",
        acme.Enabled ? $"  ACME directory:          {https}{AcmePaths.Root}{AcmePaths.Directory}" : "  ACME:                    disabled (Pki:Acme:Enabled=false)",
        $"  CA certificate:          {http}/ca.pem   (chain: {http}/ca-chain.pem)",
        $"  CRL / OCSP:              {http}/crl/default.crl   {http}/ocsp",
        $"  Root certificate (PEM):  {rootPath}",
        $"  HTTPS certificate:       {app.Services.GetRequiredService<ServerTlsCertificate>().CertificatePath}",
        $"  EST (RFC 7030):          {https}{EstPaths.Path(string.Empty, "{cacerts|simpleenroll|simplereenroll|serverkeygen|csrattrs}")}",
        $"  EST password (user est): {est.PasswordFile ?? "from Pki:Est:DefaultPassword"}",
        $"  Audit log:               {pki.DataPath("audit.log")}",
        $"  Key custody:             {string.Join(", ", custody.Names.Select(n => custody.Get(n).IsDevelopmentGrade ? n + " (DEVELOPMENT GRADE)" : n))}",
        $"  Try:                     curl --cacert {rootPath} {https}/api/v1/issuers",
    };
    lines.AddRange(stateWarnings.Select(w => "  WARNING: " + w));
    lines.AddRange(acme.Enabled ? acme.Testing.Active().Select(k => "  WARNING (ACME test knob): " + k) : []);
    foreach (var label in app.Services.GetRequiredService<EstLabelRegistry>().All.Where(l => !l.IsDefault))
    {
        lines.Insert(lines.FindIndex(l => l.StartsWith("  EST password", StringComparison.Ordinal)),
            $"  EST label {label.Name + ":",-13}{https}{EstPaths.Path(label.Name, "...")}   (role {label.Role}, {label.Authentication}{(label.ManualApproval ? ", manual approval" : string.Empty)})");
    }

    if (acme.Enabled)
    {
        lines.Add($"  certbot:                 REQUESTS_CA_BUNDLE={rootPath} certbot certonly --standalone --server {https}{AcmePaths.Root}{AcmePaths.Directory} -d NAME");
    }

    if (firstToken is not null)
    {
        lines.Add($"  Operator token (shown once; only its hash is kept): {firstToken}");
        lines.Add("  More tokens: dotnet run --project src/PkiProtocolServer -- token create --name NAME --persona operator|agent|advanced|requester");
    }

    Console.WriteLine(string.Join(Environment.NewLine, lines) + Environment.NewLine);
});

await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
