using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// The account resource (RFC 8555 7.3.2, 7.3.6): POST-as-GET reads it; a payload updates <c>contact</c>, agrees to
/// the terms, or deactivates it (<c>"status": "deactivated"</c>, final). Only the account itself may touch it.
/// </summary>
public sealed class AccountEndpoint
{
    private readonly IAccountStore _accounts;
    private readonly AcmeAudit _audit;
    private readonly TimeProvider _time;

    public AccountEndpoint(IAccountStore accounts, AcmeAudit audit, TimeProvider time)
    {
        _time = time;
        _accounts = accounts;
        _audit = audit;
    }

    public async Task<IResult> HandleAsync(HttpContext http, string id)
    {
        var request = http.AcmeRequest();
        var account = request.RequireAccount();
        if (account.Id != id)
        {
            throw AcmeException.Unauthorized("an account can only read and update itself");
        }

        if (request.IsPostAsGet)
        {
            return AcmeResult.Json(AccountResource.From(account, request.Urls));
        }

        var payload = request.Payload();
        var contact = ContactValidator.Read(payload);
        var deactivate = false;
        if (payload.TryGetProperty("status", out var status) && status.ValueKind != JsonValueKind.Null)
        {
            deactivate = status.ValueKind == JsonValueKind.String && status.GetString() switch
            {
                "deactivated" => true,
                "valid" => false,
                var other => throw AcmeException.Malformed($"an account's status can only be set to \"deactivated\", not '{other}'"),
            };
        }

        var agree = payload.TryGetProperty("termsOfServiceAgreed", out var terms) && terms.ValueKind == JsonValueKind.True;
        for (var attempt = 0; ; attempt++)
        {
            var updated = account with
            {
                Contact = contact ?? account.Contact,
                TermsOfServiceAgreed = account.TermsOfServiceAgreed || agree,
            };
            if (deactivate)
            {
                updated = updated.Deactivate(_time.GetUtcNow());
            }

            var stored = await _accounts.TryUpdateAsync(updated, http.RequestAborted);
            if (stored is not null)
            {
                await _audit.AccountAsync(stored, deactivate ? "deactivate" : "update", deactivate ? null : $"contacts: {stored.Contact.Count}");
                return AcmeResult.Json(AccountResource.From(stored, request.Urls));
            }

            // Another request updated the account between the read and this write: apply the change to what it wrote.
            account = await _accounts.GetAsync(id, http.RequestAborted) ?? throw new AcmeException(AcmeErrorType.AccountDoesNotExist, "the account no longer exists");
            if (account.Status != AccountStatus.Valid || attempt >= 3)
            {
                throw AcmeException.Unauthorized($"the account changed while it was being updated (now {StatusNames.Wire(account.Status)}); retry");
            }
        }
    }
}
