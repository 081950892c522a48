using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace PkiProtocolServer.Admin.Auth;

/// <summary>Authenticates <c>Authorization: Bearer</c> admin tokens against their stored hashes.</summary>
public sealed class BearerTokenHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string SchemeName = "AdminBearer";

    private readonly AdminTokenRegistry _tokens;

    public BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminTokenRegistry tokens)
        : base(options, logger, encoder)
    {
        _tokens = tokens;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("the Authorization header is not a Bearer token"));
        }

        var token = _tokens.Authenticate(header["Bearer ".Length..].Trim());
        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("the bearer token is not valid"));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, token.Name), new Claim(Personas.ClaimType, token.Persona.ToString())],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"pki-admin\"";
        return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized",
            "this endpoint needs an admin bearer token (Authorization: Bearer ...)");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var persona = Context.User.FindFirst(Personas.ClaimType)?.Value ?? "none";
        return Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "forbidden", "Forbidden",
            $"the token's persona ({persona.ToLowerInvariant()}) is not allowed to do this");
    }
}
