using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PkiProtocolServer.Tests.Support;

/// <summary>Small helpers for calling the admin API with raw JSON and reading its answers.</summary>
public static class Api
{
    public static Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, object body) =>
        client.Send(HttpMethod.Post, path, Serialize(body));

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string path, object body) =>
        client.Send(HttpMethod.Put, path, Serialize(body));

    public static Task<HttpResponseMessage> PatchJson(this HttpClient client, string path, object body) =>
        client.Send(HttpMethod.Patch, path, Serialize(body));

    /// <summary>Serializes an anonymous object with the API's snake_case names.</summary>
    public static string Serialize(object body) => body as string ?? JsonSerializer.Serialize(body, SnakeCase);

    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body.</summary>
    public static async Task<JsonNode> Expect(this Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public static Task<JsonNode> Ok(this Task<HttpResponseMessage> call) => call.Expect(HttpStatusCode.OK);

    public static string Str(this JsonNode node, string property) =>
        node[property]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"'{property}' is missing in {node.ToJsonString()}");

    public static List<string> Strings(this JsonNode node, string property) =>
        node[property]!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}

/// <summary>RFC 9457 problem documents as the server writes them.</summary>
public static class Problem
{
    public const string TypePrefix = "urn:pkiprotocolserver:problem:";

    /// <summary>Asserts an application/problem+json answer with the status and a non-empty detail; returns the document.</summary>
    public static async Task<JsonNode> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string? type = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.ContentType()?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), $"the problem has no detail: {text}");
        Assert.StartsWith(TypePrefix, problem.Str("type"));
        if (type is not null)
        {
            Assert.Equal(TypePrefix + type, problem.Str("type"));
        }

        return problem;
    }

    public static async Task<JsonNode> AssertAsync(Task<HttpResponseMessage> call, HttpStatusCode status, string? type = null)
    {
        using var response = await call;
        return await AssertAsync(response, status, type);
    }
}
