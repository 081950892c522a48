using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>An order (RFC 8555 7.1.3), POST-as-GET by its account; a processing order says when to look again (Retry-After, 7.4).</summary>
public sealed class OrderEndpoint
{
    private readonly AcmeObjects _objects;
    private readonly int _retryAfter;

    public OrderEndpoint(AcmeObjects objects, IOptions<AcmeOptions> options)
    {
        _objects = objects;
        _retryAfter = options.Value.RetryAfterSeconds;
    }

    public async Task<IResult> HandleAsync(HttpContext http, string id)
    {
        var request = http.AcmeRequest();
        var order = await _objects.OrderAsync(id, request.RequireAccount(), http.RequestAborted);
        return Render(order, request.Urls, _retryAfter);
    }

    public static AcmeResult Render(AcmeOrder order, AcmeUrls urls, int retryAfter) =>
        AcmeResult.Json(OrderResource.From(order, urls))
            .WithLocation(urls.Order(order.Id))
            .WithRetryAfter(order.Status == OrderStatus.Processing ? retryAfter : null);
}
