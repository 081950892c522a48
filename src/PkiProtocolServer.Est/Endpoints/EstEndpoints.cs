using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PkiProtocolServer.Est.Enrollment;

namespace PkiProtocolServer.Est.Endpoints;

/// <summary>Maps the EST operations on the default label and on named labels (RFC 7030 3.2.2).</summary>
public static class EstEndpoints
{
    public static IEndpointRouteBuilder MapEst(this IEndpointRouteBuilder app)
    {
        var est = app.MapGroup(EstPaths.Prefix).AddEndpointFilter<EstErrorFilter>().ExcludeFromDescription();
        Map(est, HttpMethods.Get, EstPaths.CaCerts, CaCertsEndpoint.Handle);
        Map(est, HttpMethods.Get, EstPaths.CsrAttrs, CsrAttrsEndpoint.Handle);
        Map(est, HttpMethods.Post, EstPaths.SimpleEnroll, (context, label) => EnrollEndpoint.Handle(context, label, EstOperation.SimpleEnroll));
        Map(est, HttpMethods.Post, EstPaths.SimpleReenroll, (context, label) => EnrollEndpoint.Handle(context, label, EstOperation.SimpleReenroll));
        Map(est, HttpMethods.Post, EstPaths.ServerKeyGen, (context, label) => EnrollEndpoint.Handle(context, label, EstOperation.ServerKeyGen));
        Map(est, HttpMethods.Post, EstPaths.FullCmc, FullCmcEndpoint.Handle);
        return app;
    }

    /// <summary>One operation on the default label (no label segment) and on named labels (the label from the route only).</summary>
    private static void Map(RouteGroupBuilder est, string method, string operation, Func<HttpContext, string?, Task> handler)
    {
        est.MapMethods("/" + operation, [method], (HttpContext context) => handler(context, null));
        est.MapMethods("/{label}/" + operation, [method], (HttpContext context, string label) => handler(context, label));
    }
}
