namespace PkiProtocolServer.Est.Errors;

/// <summary>
/// An EST answer other than success, raised anywhere in the front end and rendered once as an RFC 9457 problem by
/// <see cref="EstProblems"/>. Its detail is safe to show to a device and never says which credential was wrong.
/// </summary>
public sealed class EstException : Exception
{
    public EstException(int status, string type, string title, string detail)
        : base(detail)
    {
        Status = status;
        Type = type;
        Title = title;
    }

    public int Status { get; }

    /// <summary>The problem kind: the last part of <c>urn:pkiprotocolserver:problem:{kind}</c>.</summary>
    public string Type { get; }

    public string Title { get; }

    /// <summary>For 401: the challenge to send (RFC 9110 11.6.1 requires one on every 401).</summary>
    public string? WwwAuthenticate { get; init; }

    public static EstException BadRequest(string type, string detail) => new(400, type, "Bad request", detail);

    /// <summary>
    /// 401 with an HTTP Basic challenge (RFC 7030 3.2.3, RFC 7617). The detail is the same for a missing user, a wrong
    /// password, a used one-time password or a missing header, so a caller learns nothing about which part failed.
    /// </summary>
    public static EstException Unauthorized(string realm) => new(401, "unauthorized", "Unauthorized", "authentication is required: present valid EST credentials")
    {
        WwwAuthenticate = $"Basic realm=\"{realm}\", charset=\"UTF-8\"",
    };

    public static EstException Forbidden(string detail) => new(403, "forbidden", "Forbidden", detail);

    public static EstException NotFound(string detail) => new(404, "not-found", "Not found", detail);

    public static EstException UnsupportedMediaType(string detail) => new(415, "unsupported-media-type", "Unsupported media type", detail);

    public static EstException NotImplemented(string detail) => new(501, "not-implemented", "Not implemented", detail);

    public static EstException Unavailable(string detail) => new(503, "unavailable", "Service unavailable", detail);
}
