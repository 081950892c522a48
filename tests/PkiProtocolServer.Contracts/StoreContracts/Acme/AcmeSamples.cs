using System.Security.Cryptography;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>ACME records for the store contracts: unique per call, every optional field set, instants at millisecond precision.</summary>
public static class AcmeSamples
{
    public static readonly DateTimeOffset Now = StoreSamples.Instant;

    public static string Id() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static AcmeAccount Account(string? directory = null, string? thumbprint = null, string? eabKeyId = null) => new()
    {
        Id = Id(),
        Directory = directory ?? "default",
        Jwk = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + Id() + "\",\"y\":\"" + Id() + "\"}",
        KeyThumbprint = thumbprint ?? Id(),
        Contact = ["mailto:admin@example.org", "mailto:ops@example.org"],
        TermsOfServiceAgreed = true,
        ExternalAccountKeyId = eabKeyId,
        CreatedAt = Now,
    };

    public static AcmeAuthorization Authorization(string accountId, string? value = null, bool wildcard = false, AuthorizationStatus status = AuthorizationStatus.Pending, DateTimeOffset? expires = null) => new()
    {
        Id = Id(),
        AccountId = accountId,
        Directory = "default",
        Identifier = new AcmeIdentifier(AcmeIdentifier.Dns, value ?? Id().ToLowerInvariant() + ".example.org"),
        Wildcard = wildcard,
        Status = status,
        Expires = expires ?? Now.AddDays(1),
        Challenges =
        [
            new AcmeChallenge { Id = Id(), Type = AcmeChallenge.Http01, Token = Id() },
            new AcmeChallenge
            {
                Id = Id(),
                Type = AcmeChallenge.Dns01,
                Token = Id(),
                Status = ChallengeStatus.Invalid,
                Attempts = 3,
                Error = new AcmeProblem { Type = AcmeProblemTable.UrnPrefix + "dns", Detail = "no TXT record", Identifier = new AcmeIdentifier("dns", "x.example.org") },
            },
        ],
        CreatedAt = Now,
    };

    public static AcmeOrder Order(string accountId, IReadOnlyList<AcmeAuthorization> authorizations, DateTimeOffset? created = null, DateTimeOffset? expires = null) => new()
    {
        Id = Id(),
        AccountId = accountId,
        Directory = "default",
        Expires = expires ?? Now.AddDays(1),
        Identifiers = authorizations.Select(a => a.Wildcard ? a.Identifier with { Value = "*." + a.Identifier.Value } : a.Identifier).ToList(),
        AuthorizationIds = authorizations.Select(a => a.Id).ToList(),
        CreatedAt = created ?? Now,
    };

    public static ExternalAccountKey EabKey(string? directory = null, DateTimeOffset? expires = null, DateTimeOffset? created = null) => new()
    {
        Id = "eab-" + Id(),
        Directory = directory ?? "default",
        HmacKey = StoreSamples.Bytes(32),
        Label = "for the web team",
        CreatedAt = created ?? Now,
        ExpiresAt = expires,
    };

    public static AcmeCertificate Certificate(string accountId, DateTimeOffset? notAfter = null) => new()
    {
        Id = Id(),
        AccountId = accountId,
        OrderId = Id(),
        Directory = "default",
        Serial = StoreSamples.NewSerial(),
        IssuerId = StoreSamples.NewId("issuer"),
        Chains = ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n"],
        NotAfter = notAfter ?? Now.AddDays(90),
        CreatedAt = Now,
    };
}

/// <summary>Equality of ACME records by their stored form (lists compared by content).</summary>
public static class AcmeAssert
{
    public static void Same<T>(T expected, T? actual)
        where T : class
    {
        Assert.NotNull(actual);
        Assert.Equal(AcmeDocumentJson.Serialize(expected), AcmeDocumentJson.Serialize(actual));
    }
}
