using System.Text.Json;
using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Issuers;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>
/// The key layout documented in <c>RedisKeys</c> and docs/operations.md, checked on the wire: each test works in a
/// database of its own, so it sees every key the stores wrote and nothing else.
/// </summary>
public sealed class RedisKeyLayoutTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Every_key_written_carries_the_configured_prefix_and_follows_the_documented_layout()
    {
        using var multiplexer = redis.Connect(",defaultDatabase=1");
        const string prefix = "pki-layout:";
        var stores = RedisStores.Open(multiplexer, prefix);
        var key = StoreSamples.Key();
        var issuer = StoreSamples.Issuer(keyId: key.Id);
        var certificate = StoreSamples.Certificate(issuerId: issuer.Id);
        await stores.Issuers.AddAsync(issuer, key, makeDefault: true, None);
        await stores.Roles.PutAsync(StoreSamples.Role(), None);
        await stores.Certificates.AddAsync(certificate, None);

        var server = multiplexer.GetServer(multiplexer.GetEndPoints()[0]);
        var keys = server.Keys(database: 1, pattern: "*").Select(k => (string)k!).Order(StringComparer.Ordinal).ToArray();

        Assert.All(keys, k => Assert.StartsWith(prefix, k, StringComparison.Ordinal));
        string[] expected =
        [
            "cert:" + certificate.Serial, "certs:issuer:" + issuer.Id, "certs:not-after", "certs:serials", "format",
            "issuer-keys", "issuer-keys:names", "issuers", "issuers:default", "issuers:names", "roles",
        ];
        Assert.Equal(expected.Select(k => prefix + k).Order(StringComparer.Ordinal), keys);
        var db = multiplexer.GetDatabase();
        Assert.Equal(issuer.Id, (string?)await db.StringGetAsync(prefix + "issuers:default"));
        Assert.Equal(key.Id, (string?)await db.HashGetAsync(prefix + "issuer-keys:names", key.Name));
        Assert.Equal(issuer.Id, (string?)await db.HashGetAsync(prefix + "issuers:names", issuer.Name));
        Assert.Equal(certificate.NotAfter.ToUnixTimeMilliseconds(), await db.SortedSetScoreAsync(prefix + "certs:not-after", certificate.Serial));
        Assert.Equal(0, await db.SortedSetScoreAsync(prefix + "certs:serials", certificate.Serial));
        Assert.Equal(0, await db.SortedSetScoreAsync(prefix + "certs:issuer:" + issuer.Id, certificate.Serial));
    }

    [Fact]
    public async Task Records_are_json_with_explicit_names_enums_by_name_bytes_in_base64_and_utc_milliseconds()
    {
        using var multiplexer = redis.Connect(",defaultDatabase=2");
        var stores = RedisStores.Open(multiplexer, "pki:");
        var key = StoreSamples.Key();
        var issuer = StoreSamples.Issuer(keyId: key.Id) with { Usage = IssuerUsage.CrlSigning | IssuerUsage.OcspSigning, Name = "Ünïcode CA" };
        var certificate = StoreSamples.Certificate(issuerId: issuer.Id);
        await stores.Issuers.AddAsync(issuer, key, false, None);
        await stores.Certificates.AddAsync(certificate, None);
        var db = multiplexer.GetDatabase();

        var storedIssuer = (string?)await db.HashGetAsync("pki:issuers", issuer.Id);
        var storedKey = JsonDocument.Parse((string)(await db.HashGetAsync("pki:issuer-keys", key.Id))!).RootElement;
        var storedCertificate = JsonDocument.Parse((string)(await db.StringGetAsync("pki:cert:" + certificate.Serial))!).RootElement;

        var issuerJson = JsonDocument.Parse(storedIssuer!).RootElement;
        Assert.Equal("CrlSigning, OcspSigning", issuerJson.GetProperty("usage").GetString());
        Assert.Equal("Truncate", issuerJson.GetProperty("leaf_not_after_behavior").GetString());
        Assert.Equal(key.Id, issuerJson.GetProperty("key_id").GetString());
        Assert.Equal(Convert.ToBase64String(issuer.CertificateDer), issuerJson.GetProperty("certificate_der").GetString());
        Assert.Contains("\"name\":\"Ünïcode CA\"", storedIssuer, StringComparison.Ordinal);
        Assert.Equal("2026-03-14T13:09:26.535Z", issuerJson.GetProperty("created_at").GetString());
        Assert.Equal("ec-384", storedKey.GetProperty("key_spec").GetString());
        Assert.Equal(Convert.ToBase64String(key.SubjectPublicKeyInfo), storedKey.GetProperty("subject_public_key_info").GetString());
        Assert.Equal("2026-06-12T13:09:26.536Z", storedCertificate.GetProperty("not_after").GetString());
        Assert.Equal(certificate.SubjectAlternativeNames, storedCertificate.GetProperty("subject_alt_names").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_role_written_before_a_setting_existed_reads_that_setting_as_its_default()
    {
        using var multiplexer = redis.Connect(",defaultDatabase=3");
        var stores = RedisStores.Open(multiplexer, "pki:");
        await multiplexer.GetDatabase().HashSetAsync("pki:roles", "old", """{"name":"old","allow_any_name":true}""");

        var role = await stores.Roles.GetAsync("old", None);

        Assert.NotNull(role);
        Assert.True(role.AllowAnyName);
        var defaults = new Core.Roles.Role { Name = "old" };
        Assert.Equal(defaults.KeyUsage, role.KeyUsage);
        Assert.Equal(defaults.Ttl, role.Ttl);
        Assert.Equal(defaults.EnforceHostnames, role.EnforceHostnames);
    }

    [Fact]
    public async Task A_record_that_is_not_json_is_reported_as_corrupt_data()
    {
        using var multiplexer = redis.Connect(",defaultDatabase=4");
        var stores = RedisStores.Open(multiplexer, "pki:");
        await multiplexer.GetDatabase().HashSetAsync("pki:roles", "broken", "{not json");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => stores.Roles.GetAsync("broken", None));

        Assert.Contains("stored role", e.Message);
    }
}
