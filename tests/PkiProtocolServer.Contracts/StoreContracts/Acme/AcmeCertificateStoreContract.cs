using PkiProtocolServer.Core.Errors;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts.Acme;

/// <summary>What every <see cref="PkiProtocolServer.Acme.Stores.IAcmeCertificateStore"/> must do.</summary>
public abstract class AcmeCertificateStoreContract : AcmeStoreContract
{
    [Fact]
    public async Task A_certificate_reads_back_by_id_and_by_serial()
    {
        var store = (await CreateAcmeStoresAsync()).Certificates;
        var certificate = AcmeSamples.Certificate(AcmeSamples.Id());

        await store.AddAsync(certificate, None);

        AcmeAssert.Same(certificate, await store.GetAsync(certificate.Id, None));
        AcmeAssert.Same(certificate, await store.FindBySerialAsync(certificate.Serial, None));
        Assert.Null(await store.GetAsync(AcmeSamples.Id(), None));
        Assert.Null(await store.FindBySerialAsync(StoreSamples.NewSerial(), None));
    }

    [Fact]
    public async Task A_second_certificate_with_an_existing_id_is_a_conflict()
    {
        var store = (await CreateAcmeStoresAsync()).Certificates;
        var certificate = AcmeSamples.Certificate(AcmeSamples.Id());
        await store.AddAsync(certificate, None);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.AddAsync(AcmeSamples.Certificate(AcmeSamples.Id()) with { Id = certificate.Id }, None));
    }

    [Fact]
    public async Task Certificates_go_when_they_expire()
    {
        var store = (await CreateAcmeStoresAsync()).Certificates;
        var expired = AcmeSamples.Certificate(AcmeSamples.Id(), AcmeSamples.Now.AddSeconds(-1));
        var live = AcmeSamples.Certificate(AcmeSamples.Id(), AcmeSamples.Now.AddSeconds(1));
        await store.AddAsync(expired, None);
        await store.AddAsync(live, None);

        Assert.Equal(1, await store.DeleteExpiredAsync(AcmeSamples.Now, None));

        Assert.Null(await store.GetAsync(expired.Id, None));
        Assert.NotNull(await store.GetAsync(live.Id, None));
    }
}
