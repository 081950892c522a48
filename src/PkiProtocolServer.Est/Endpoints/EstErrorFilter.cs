using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Est.Errors;

namespace PkiProtocolServer.Est.Endpoints;

/// <summary>
/// The one edge where EST failures become answers: <see cref="EstException"/> as raised, core errors through
/// <see cref="EstProblems.FromCore"/> (refused names keep their per-name subproblems).
/// </summary>
public sealed class EstErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (EstException e)
        {
            await EstProblems.WriteAsync(context.HttpContext, e).ConfigureAwait(false);
        }
        catch (PkiException e)
        {
            await EstProblems.WriteAsync(context.HttpContext, EstProblems.FromCore(e), e.Subproblems).ConfigureAwait(false);
        }

        return Results.Empty;
    }
}
