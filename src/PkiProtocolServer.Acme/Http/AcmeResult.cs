using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace PkiProtocolServer.Acme.Http;

/// <summary>An ACME response: a status, a JSON or PEM body, and the headers a resource adds (Location, Link, Retry-After).</summary>
public sealed class AcmeResult : IResult
{
    private readonly object? _json;
    private readonly string? _text;
    private readonly string? _contentType;
    private readonly List<string> _links = [];

    private AcmeResult(int status, object? json, string? text, string? contentType)
    {
        Status = status;
        _json = json;
        _text = text;
        _contentType = contentType;
    }

    public int Status { get; }

    public string? Location { get; private set; }

    public int? RetryAfterSeconds { get; private set; }

    public static AcmeResult Json(object body, int status = StatusCodes.Status200OK) => new(status, body, null, "application/json");

    public static AcmeResult Text(string body, string contentType) => new(StatusCodes.Status200OK, null, body, contentType);

    public static AcmeResult Empty(int status) => new(status, null, null, null);

    public AcmeResult WithLocation(string url)
    {
        Location = url;
        return this;
    }

    /// <summary>Adds <c>Link: &lt;url&gt;;rel="relation"</c> (RFC 8288).</summary>
    public AcmeResult WithLink(string url, string relation)
    {
        _links.Add($"<{url}>;rel=\"{relation}\"");
        return this;
    }

    public AcmeResult WithRetryAfter(int? seconds)
    {
        RetryAfterSeconds = seconds;
        return this;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }

        foreach (var link in _links)
        {
            response.Headers.Append("Link", link);
        }

        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (_json is not null)
        {
            response.ContentType = _contentType;
            await JsonSerializer.SerializeAsync(response.Body, _json, _json.GetType(), AcmeJson.Options, httpContext.RequestAborted).ConfigureAwait(false);
        }
        else if (_text is not null)
        {
            response.ContentType = _contentType;
            await response.WriteAsync(_text, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
