using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>newOrder (RFC 8555 7.4): identifiers checked against the role of the order's profile (or the directory's), <c>replaces</c> claimed (RFC 9773), the order created with its authorizations, 201 with its URL.</summary>
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
        var payload = request.Payload();
        var identifiers = _orders.ReadIdentifiers(payload);
        var profile = NewOrderService.ReadProfile(payload, request.Directory);
        var replaces = NewOrderService.ReadReplaces(payload);
        var order = await _orders.CreateAsync(request.RequireAccount(), request.Directory, identifiers, profile, replaces, http.RequestAborted);
        return AcmeResult.Json(OrderResource.From(order, request.Urls), StatusCodes.Status201Created)
            .WithLocation(request.Urls.Order(order.Id));
    }
}
