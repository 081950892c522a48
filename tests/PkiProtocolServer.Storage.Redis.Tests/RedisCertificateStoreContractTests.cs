using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Certificates;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>The certificate store contract against a real redis-server, a fresh key prefix per store.</summary>
public sealed class RedisCertificateStoreContractTests(RedisServer redis) : CertificateStoreContract, IClassFixture<RedisServer>
{
    protected override Task<ICertificateStore> CreateCertificateStoreAsync() => Task.FromResult(redis.OpenFresh().Certificates);
}
