using System.Net.Http.Headers;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>An ACME answer, read whole: status, headers and body.</summary>
public sealed class AcmeResponse
{
    public required HttpStatusCode Status { get; init; }

    public required HttpResponseHeaders Headers { get; init; }

    public string? ContentType { get; init; }

    public required string Body { get; init; }

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new Xunit.Sdk.XunitException("empty JSON body");

    public string? Location => Headers.Location?.ToString();

    public string? ReplayNonce => Headers.TryGetValues("Replay-Nonce", out var values) ? values.FirstOrDefault() : null;

    public IReadOnlyList<string> Links => Headers.TryGetValues("Link", out var values) ? values.ToList() : [];

    /// <summary>The URLs of the Link header values with <paramref name="relation"/>.</summary>
    public IReadOnlyList<string> LinksWithRelation(string relation) =>
        Links.SelectMany(l => l.Split(','))
            .Where(l => l.Contains($"rel=\"{relation}\"", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf('<') + 1)..l.IndexOf('>')])
            .ToList();

    /// <summary>Asserts the status (showing the body otherwise) and returns this.</summary>
    public AcmeResponse Expect(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status} {status}, got {(int)Status}: {Body}");
        return this;
    }

    /// <summary>
    /// Asserts an ACME problem document (RFC 8555 6.7): the status, <c>application/problem+json</c>, the
    /// <c>urn:ietf:params:acme:error:{type}</c> type, a detail, and the headers every ACME response carries.
    /// </summary>
    public JsonNode ExpectProblem(HttpStatusCode status, string type)
    {
        Expect(status);
        Assert.Equal("application/problem+json", ContentType);
        var problem = Json;
        Assert.Equal("urn:ietf:params:acme:error:" + type, problem["type"]?.GetValue<string>());
        Assert.Equal((int)status, problem["status"]?.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), "the problem has no detail: " + Body);
        AssertCommonHeaders();
        return problem;
    }

    /// <summary>RFC 8555 6.5 / 7.1: a fresh nonce, the index link, no caching.</summary>
    public void AssertCommonHeaders()
    {
        Assert.False(string.IsNullOrEmpty(ReplayNonce), "no Replay-Nonce");
        Assert.NotEmpty(LinksWithRelation("index"));
        Assert.Contains("no-store", Headers.CacheControl?.ToString() ?? string.Empty);
    }
}
