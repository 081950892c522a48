using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>finalize (RFC 8555 7.4): the order's account submits a CSR; the answer is the order, valid with its certificate URL.</summary>
public sealed class FinalizeEndpoint
{
    private readonly AcmeObjects _objects;
    private readonly FinalizeService _finalize;
    private readonly int _retryAfter;

    public FinalizeEndpoint(AcmeObjects objects, FinalizeService finalize, IOptions<AcmeOptions> options)
    {
        _objects = objects;
        _finalize = finalize;
        _retryAfter = options.Value.RetryAfterSeconds;
    }

    public async Task<IResult> HandleAsync(HttpContext http, string id)
    {
        var request = http.AcmeRequest();
        var account = request.RequireAccount();
        var order = await _objects.OrderAsync(id, account, http.RequestAborted);
        var finalized = await _finalize.FinalizeAsync(order, request.Payload(), request.Directory, account, request.Key, http.RequestAborted);
        return OrderEndpoint.Render(finalized, request.Urls, _retryAfter);
    }
}
