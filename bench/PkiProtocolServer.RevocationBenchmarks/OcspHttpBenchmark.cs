using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace PkiProtocolServer.Benchmarks;

/// <summary>
/// OCSP over HTTP against the real server process (Release build, warnings-only logging): certificates issued
/// through the admin API, one pre-signed response each, then GET (RFC 5019) and POST under load from this
/// process. The load generator runs on the same machine and takes its share of the CPU.
/// </summary>
internal static class OcspHttpBenchmark
{
    public sealed record Result(LoadRunner.Result Get, LoadRunner.Result Post, double ServerCpuMicrosPerResponse);

    public static async Task<Result> RunAsync(string serverDll, int certificates, int concurrency, TimeSpan duration)
    {
        var directory = Directory.CreateTempSubdirectory("pki-bench-http-").FullName;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var (https, http) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet", [serverDll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["Pki__DataDirectory"] = directory;
        start.Environment["Pki__HttpsPort"] = https.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Pki__HttpPort"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Pki__Keys__Software__Passphrase"] = "bench";
        start.Environment["Pki__Admin__Tokens__0__Name"] = "bench";
        start.Environment["Pki__Admin__Tokens__0__Persona"] = "operator";
        start.Environment["Pki__Admin__Tokens__0__Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var plain = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{http}"),
            };
            await WaitReadyAsync(plain, server);
            using var admin = AdminClient(directory, https, token);
            (await admin.PutAsJsonAsync("/api/v1/roles/bench", new JsonObject { ["allowed_domains"] = new JsonArray("bench.test"), ["allow_subdomains"] = true })).EnsureSuccessStatusCode();

            var requests = new List<byte[]>();
            for (var i = 0; i < certificates; i++)
            {
                var issued = (await (await admin.PostAsJsonAsync("/api/v1/issue/bench", new JsonObject { ["common_name"] = $"c{i}.bench.test" })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonNode>())!;
                using var leaf = X509Certificate2.CreateFromPem(issued["certificate"]!.GetValue<string>());
                using var issuer = X509Certificate2.CreateFromPem(issued["issuing_ca"]!.GetValue<string>());
                requests.Add(OcspRequests.For(issuer, leaf.SerialNumberBytes.Span));
            }

            var paths = requests.Select(r => "/ocsp/" + Uri.EscapeDataString(Convert.ToBase64String(r))).ToArray();
            foreach (var path in paths)
            {
                if (!OcspRequests.IsSuccessful(await plain.GetByteArrayAsync(path)))
                {
                    throw new InvalidOperationException("warm-up: the server did not answer successful");
                }
            }

            server.Refresh();
            var cpuBefore = server.TotalProcessorTime;
            var get = await LoadRunner.RunAsync(concurrency, duration, async (_, i) =>
                OcspRequests.IsSuccessful(await plain.GetByteArrayAsync(paths[i % paths.Length])));
            server.Refresh();
            var cpuPerResponse = (server.TotalProcessorTime - cpuBefore).TotalMicroseconds / Math.Max(1, get.Completed);

            var post = await LoadRunner.RunAsync(concurrency, duration, async (_, i) =>
            {
                using var content = new ByteArrayContent(requests[(int)(i % requests.Count)]);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/ocsp-request");
                using var response = await plain.PostAsync("/ocsp", content);
                return OcspRequests.IsSuccessful(await response.Content.ReadAsByteArrayAsync());
            });
            return new Result(get, post, cpuPerResponse);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
                await server.WaitForExitAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WaitReadyAsync(HttpClient plain, Process server)
    {
        for (var i = 0; i < 240; i++)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException("the server exited during start");
            }

            try
            {
                if ((await plain.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("the server did not become ready in 60 s");
    }

    /// <summary>An HTTPS client trusting only the server's development root, with the operator token.</summary>
    private static HttpClient AdminClient(string directory, int port, string token)
    {
        var root = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(directory, "root-ca.pem")));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is X509Certificate2 c && chain.Build(c);
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{port}") };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
