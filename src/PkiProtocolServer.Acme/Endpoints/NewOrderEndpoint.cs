using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.RateLimits;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>newOrder (RFC 8555 7.4): identifiers checked against the role of the order's profile (or the directory's), <c>replaces</c> claimed (RFC 9773), the order created with its authorizations, 201 with its URL.</summary>
public sealed class NewOrderEndpoint
{
    private readonly NewOrderService _orders;
    private readonly AcmeRateLimiter _limits;

    public NewOrderEndpoint(NewOrderService orders, AcmeRateLimiter limits)
    {
        _orders = orders;
        _limits = limits;
    }

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var request = http.AcmeRequest();
        var payload = request.Payload();
        var identifiers = _orders.ReadIdentifiers(payload);
        var profile = NewOrderService.ReadProfile(payload, request.Directory);
        var replaces = NewOrderService.ReadReplaces(payload);
        var account = request.RequireAccount();
        // Names the account keeps failing to prove are refused before the order counts against its limit.
        await _limits.CheckFailedValidationsAsync(account.Id, identifiers, http.RequestAborted);
        await _limits.TakeNewOrderAsync(account.Id, http.RequestAborted);
        var order = await _orders.CreateAsync(account, request.Directory, identifiers, profile, replaces, http.RequestAborted);
        return AcmeResult.Json(OrderResource.From(order, request.Urls), StatusCodes.Status201Created)
            .WithLocation(request.Urls.Order(order.Id));
    }
}
