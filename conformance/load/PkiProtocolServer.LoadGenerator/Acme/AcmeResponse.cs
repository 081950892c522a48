using System.Net;
using System.Text.Json;

namespace PkiProtocolServer.LoadGenerator.Acme;

/// <summary>A successful ACME answer: what a client reads from it.</summary>
public sealed record AcmeResponse(HttpStatusCode Status, string? Location, TimeSpan? RetryAfter, byte[] Body)
{
    /// <summary>The body as JSON (resources are JSON objects; the certificate is PEM and is read as <see cref="Body"/>).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }
}
