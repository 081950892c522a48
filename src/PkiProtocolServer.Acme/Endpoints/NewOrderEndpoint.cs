using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>newOrder (RFC 8555 7.4): identifiers checked against the directory's role, the order created with its authorizations, 201 with its URL.</summary>
public sealed class NewOrderEndpoint
{
    private readonly NewOrderService _orders;

    public NewOrderEndpoint(NewOrderService orders)
    {
        _orders = orders;
    }

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var request = http.AcmeRequest();
        var identifiers = _orders.ReadIdentifiers(request.Payload());
        var order = await _orders.CreateAsync(request.RequireAccount(), request.Directory, identifiers, http.RequestAborted);
        return AcmeResult.Json(OrderResource.From(order, request.Urls), StatusCodes.Status201Created)
            .WithLocation(request.Urls.Order(order.Id));
    }
}
