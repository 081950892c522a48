using System.Text;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>
/// A small ACME client for tests: keeps the nonce from every answer, signs with its account key, and exposes each
/// step so tests can break exactly one thing.
/// </summary>
public sealed class AcmeTestClient : IDisposable
{
    public AcmeTestClient(HttpClient http, TestKey key, string directoryPath = "/acme/directory")
    {
        Http = http;
        Key = key;
        DirectoryPath = directoryPath;
    }

    public HttpClient Http { get; }

    public TestKey Key { get; private set; }

    public string DirectoryPath { get; }

    /// <summary>The account URL after <see cref="RegisterAsync"/>.</summary>
    public string? Kid { get; set; }

    public string? Nonce { get; set; }

    public JsonNode? Directory { get; private set; }

    public string Url(string name) => Directory?[name]?.GetValue<string>() ?? throw new InvalidOperationException("load the directory first");

    public async Task<JsonNode> LoadDirectoryAsync()
    {
        var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, DirectoryPath));
        Directory = response.Expect(HttpStatusCode.OK).Json;
        return Directory;
    }

    public async Task<string> FreshNonceAsync()
    {
        await SendAsync(new HttpRequestMessage(HttpMethod.Head, Url("newNonce")));
        return Nonce!;
    }

    /// <summary>Signs and posts; <paramref name="payload"/> null is POST-as-GET. Uses the kid once registered, the jwk before.</summary>
    public async Task<AcmeResponse> PostAsync(string url, JsonNode? payload, TestKey? key = null, bool forceJwk = false, Action<JsonObject>? editHeader = null, Func<byte[], byte[]>? tamperSignature = null)
    {
        var nonce = Nonce ?? await FreshNonceAsync();
        Nonce = null;
        var signer = key ?? Key;
        var header = TestJws.Header(signer, url, nonce, forceJwk ? null : Kid);
        editHeader?.Invoke(header);
        return await PostRawAsync(url, TestJws.Sign(signer, header, payload, tamperSignature).ToJsonString());
    }

    public Task<AcmeResponse> PostRawAsync(string url, string body, string contentType = "application/jose+json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return SendAsync(request);
    }

    public async Task<AcmeResponse> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var result = new AcmeResponse
        {
            Status = response.StatusCode,
            Headers = response.Headers,
            ContentType = response.Content.Headers.ContentType?.MediaType,
            Body = body,
        };
        Nonce = result.ReplayNonce ?? Nonce;
        return result;
    }

    public async Task<AcmeResponse> RegisterAsync(JsonObject? payload = null)
    {
        if (Directory is null)
        {
            await LoadDirectoryAsync();
        }

        var response = await PostAsync(Url("newAccount"), payload ?? new JsonObject { ["termsOfServiceAgreed"] = true, ["contact"] = new JsonArray("mailto:test@example.org") }, forceJwk: true);
        if (response.Status is HttpStatusCode.Created or HttpStatusCode.OK)
        {
            Kid = response.Location;
        }

        return response;
    }

    public Task<AcmeResponse> NewOrderAsync(params (string Type, string Value)[] identifiers) =>
        PostAsync(Url("newOrder"), new JsonObject
        {
            ["identifiers"] = new JsonArray(identifiers.Select(i => (JsonNode)new JsonObject { ["type"] = i.Type, ["value"] = i.Value }).ToArray()),
        });

    public Task<AcmeResponse> GetAsync(string url) => PostAsync(url, null);

    /// <summary>Polls a resource with POST-as-GET until <paramref name="done"/> says so, or fails after the deadline.</summary>
    public async Task<JsonNode> PollAsync(string url, Func<JsonNode, bool> done, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var json = (await GetAsync(url)).Expect(HttpStatusCode.OK).Json;
            if (done(json))
            {
                return json;
            }

            if (DateTime.UtcNow > until)
            {
                throw new Xunit.Sdk.XunitException($"{url} did not get there in time: {json.ToJsonString()}");
            }

            await Task.Delay(100);
        }
    }

    public void UseKey(TestKey key) => Key = key;

    public void Dispose() => Http.Dispose();
}
