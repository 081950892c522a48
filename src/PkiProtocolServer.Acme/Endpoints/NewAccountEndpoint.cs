using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.RateLimits;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// newAccount (RFC 8555 7.3): signed with the new account's key as <c>jwk</c>. An existing account of that key is
/// returned (200) rather than duplicated; <c>onlyReturnExisting</c> never creates; contacts, terms of service and
/// External Account Binding (7.3.4) are checked before anything is written.
/// </summary>
public sealed class NewAccountEndpoint
{
    private readonly IAccountStore _accounts;
    private readonly ExternalAccountBindingVerifier _eab;
    private readonly AcmeAudit _audit;
    private readonly TimeProvider _time;
    private readonly AcmeRateLimiter _limits;

    public NewAccountEndpoint(IAccountStore accounts, ExternalAccountBindingVerifier eab, AcmeAudit audit, TimeProvider time, AcmeRateLimiter limits)
    {
        _limits = limits;
        _accounts = accounts;
        _eab = eab;
        _audit = audit;
        _time = time;
    }

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var request = http.AcmeRequest();
        var payload = request.Payload();
        var directory = request.Directory;
        var key = request.Key;

        var existing = await _accounts.FindByKeyAsync(directory.Name, key.Thumbprint, http.RequestAborted);
        if (existing is not null)
        {
            return Existing(existing, request);
        }

        if (Flag(payload, "onlyReturnExisting"))
        {
            throw new AcmeException(AcmeErrorType.AccountDoesNotExist, "no account exists for this key (onlyReturnExisting)");
        }

        var contact = ContactValidator.Read(payload) ?? [];
        var agreed = Flag(payload, "termsOfServiceAgreed");
        if (directory.TermsOfService is not null && !agreed)
        {
            throw AcmeException.Malformed($"this directory requires agreeing to its terms of service ({directory.TermsOfService}): set termsOfServiceAgreed to true");
        }

        string? eabKeyId = null;
        if (payload.TryGetProperty("externalAccountBinding", out var binding) && binding.ValueKind != JsonValueKind.Null)
        {
            eabKeyId = await _eab.VerifyAsync(binding, key, request.Url, directory, http.RequestAborted);
        }
        else if (directory.ExternalAccountRequired)
        {
            throw new AcmeException(AcmeErrorType.ExternalAccountRequired, "this directory requires External Account Binding: ask the CA operator for an EAB key id and HMAC key");
        }

        await _limits.TakeNewAccountAsync(ClientNetwork.AddressOf(http), http.RequestAborted);
        var account = new AcmeAccount
        {
            Id = AcmeIds.New(),
            Directory = directory.Name,
            Jwk = key.CanonicalJson,
            KeyThumbprint = key.Thumbprint,
            Contact = contact,
            TermsOfServiceAgreed = agreed,
            ExternalAccountKeyId = eabKeyId,
            CreatedAt = _time.GetUtcNow(),
        };
        try
        {
            account = await _accounts.AddAsync(account, http.RequestAborted);
        }
        catch (PkiException e) when (e.Kind == PkiErrorKind.Conflict)
        {
            // A concurrent newAccount with the same key won: answer as for an existing account.
            var winner = await _accounts.FindByKeyAsync(directory.Name, key.Thumbprint, http.RequestAborted);
            return winner is not null
                ? Existing(winner, request)
                : throw AcmeException.Unauthorized("the external account key has bound another account meanwhile");
        }

        await _audit.AccountAsync(account, "create");
        return AcmeResult.Json(AccountResource.From(account, request.Urls), StatusCodes.Status201Created)
            .WithLocation(request.Urls.Account(account.Id));
    }

    private static AcmeResult Existing(AcmeAccount account, AcmeRequest request)
    {
        // 7.3.6: a deactivated account is not usable, not even to look it up.
        if (account.Status != AccountStatus.Valid)
        {
            throw AcmeException.Unauthorized($"the account of this key is {StatusNames.Wire(account.Status)}");
        }

        return AcmeResult.Json(AccountResource.From(account, request.Urls)).WithLocation(request.Urls.Account(account.Id));
    }

    private static bool Flag(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw AcmeException.Malformed($"\"{name}\" must be true or false"),
        };
    }
}
