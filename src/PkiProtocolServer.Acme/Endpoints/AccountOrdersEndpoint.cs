using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// The account's orders (RFC 8555 7.1.2.1): POST-as-GET by the account itself, a page of order URLs, and
/// <c>Link: rel="next"</c> to the following page.
/// </summary>
public sealed class AccountOrdersEndpoint
{
    public const int PageSize = 100;

    private readonly IOrderStore _orders;
    private readonly TimeProvider _time;

    public AccountOrdersEndpoint(IOrderStore orders, TimeProvider time)
    {
        _orders = orders;
        _time = time;
    }

    public async Task<IResult> HandleAsync(HttpContext http, string id)
    {
        var request = http.AcmeRequest();
        if (request.RequireAccount().Id != id)
        {
            throw AcmeException.Unauthorized("an account can only list its own orders");
        }

        var cursor = http.Request.Query["cursor"].FirstOrDefault();
        var page = await _orders.ListByAccountAsync(id, _time.GetUtcNow(), cursor, PageSize, http.RequestAborted);
        var result = AcmeResult.Json(new OrdersListResource(page.OrderIds.Select(request.Urls.Order).ToList()));
        return page.Next is null ? result : result.WithLink(request.Urls.AccountOrders(id) + "?cursor=" + Uri.EscapeDataString(page.Next), "next");
    }
}
