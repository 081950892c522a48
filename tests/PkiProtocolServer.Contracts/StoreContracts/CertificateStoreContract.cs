using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Errors;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>What every <see cref="ICertificateStore"/> must do; providers derive and hand out a fresh, empty store per call.</summary>
public abstract class CertificateStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A new, empty store (each call its own state).</summary>
    protected abstract Task<ICertificateStore> CreateCertificateStoreAsync();

    [Fact]
    public async Task An_added_certificate_reads_back_with_every_field()
    {
        var store = await CreateCertificateStoreAsync();
        var certificate = StoreSamples.Certificate();

        await store.AddAsync(certificate, None);

        StoreAssert.Same(certificate, await store.GetAsync(certificate.Serial, None));
    }

    [Fact]
    public async Task A_ca_certificate_without_role_name_or_sans_reads_back_with_nulls_and_no_sans()
    {
        var store = await CreateCertificateStoreAsync();
        var certificate = StoreSamples.Certificate() with { Role = null, CommonName = null, SubjectAlternativeNames = [] };

        await store.AddAsync(certificate, None);

        var read = await store.GetAsync(certificate.Serial, None);
        StoreAssert.Same(certificate, read);
        Assert.Null(read!.Role);
        Assert.Null(read.CommonName);
        Assert.Empty(read.SubjectAlternativeNames);
    }

    [Fact]
    public async Task An_unknown_serial_reads_as_null()
    {
        var store = await CreateCertificateStoreAsync();
        await store.AddAsync(StoreSamples.Certificate(), None);

        Assert.Null(await store.GetAsync(StoreSamples.NewSerial(), None));
    }

    [Fact]
    public async Task Adding_a_certificate_with_a_recorded_serial_is_a_conflict_and_keeps_the_first_record()
    {
        var store = await CreateCertificateStoreAsync();
        var first = StoreSamples.Certificate();
        await store.AddAsync(first, None);
        var second = StoreSamples.Certificate(first.Serial, issuerId: "another-issuer");

        var e = await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.AddAsync(second, None));

        Assert.Contains(first.Serial, e.Message);
        StoreAssert.Same(first, await store.GetAsync(first.Serial, None));
        Assert.Single(await store.ListAsync(null, 10, None));
    }

    [Fact]
    public async Task An_empty_store_lists_an_empty_page()
    {
        var store = await CreateCertificateStoreAsync();

        Assert.Empty(await store.ListAsync(null, 10, None));
        Assert.Empty(await store.ListAsync("00", 10, None));
    }

    [Fact]
    public async Task Listing_pages_through_every_certificate_in_serial_order_with_after_serial_and_limit()
    {
        var store = await CreateCertificateStoreAsync();
        // Ordinal order of lower-case hex, including serials of different lengths.
        string[] serials = ["01", "0a", "1f", "7fff", "80", "8000", "9", "a0", "ab", "abcdef0123456789", "f", "ff", "ff00"];
        foreach (var serial in serials.Reverse())
        {
            await store.AddAsync(StoreSamples.Certificate(serial), None);
        }

        var pages = new List<IReadOnlyList<IssuedCertificate>>();
        string? after = null;
        while (true)
        {
            var page = await store.ListAsync(after, 4, None);
            if (page.Count == 0)
            {
                break;
            }

            pages.Add(page);
            after = page[^1].Serial;
        }

        Assert.Equal([4, 4, 4, 1], pages.Select(p => p.Count));
        Assert.Equal(serials.Order(StringComparer.Ordinal), pages.SelectMany(p => p).Select(c => c.Serial));
        Assert.Equal(serials.Order(StringComparer.Ordinal), serials);
    }

    [Fact]
    public async Task Listed_certificates_carry_every_field()
    {
        var store = await CreateCertificateStoreAsync();
        var certificate = StoreSamples.Certificate();
        await store.AddAsync(certificate, None);

        StoreAssert.Same(certificate, Assert.Single(await store.ListAsync(null, 10, None)));
    }

    [Fact]
    public async Task Listing_after_a_serial_that_was_never_recorded_starts_at_the_next_one()
    {
        var store = await CreateCertificateStoreAsync();
        foreach (var serial in new[] { "10", "20", "30" })
        {
            await store.AddAsync(StoreSamples.Certificate(serial), None);
        }

        Assert.Equal(["20", "30"], (await store.ListAsync("15", 10, None)).Select(c => c.Serial));
        Assert.Equal(["10"], (await store.ListAsync("0", 1, None)).Select(c => c.Serial));
        Assert.Empty(await store.ListAsync("30", 10, None));
        Assert.Empty(await store.ListAsync("4", 10, None));
    }

    [Fact]
    public async Task Concurrent_adds_from_many_tasks_all_land()
    {
        var store = await CreateCertificateStoreAsync();
        var certificates = Enumerable.Range(0, 200).Select(_ => StoreSamples.Certificate()).ToArray();

        await Task.WhenAll(certificates.Select(c => Task.Run(() => store.AddAsync(c, None))));

        var listed = await store.ListAsync(null, 1000, None);
        Assert.Equal(certificates.Select(c => c.Serial).Order(StringComparer.Ordinal), listed.Select(c => c.Serial));
        foreach (var certificate in certificates.Take(5))
        {
            StoreAssert.Same(certificate, await store.GetAsync(certificate.Serial, None));
        }
    }

    [Fact]
    public async Task Concurrent_adds_of_one_serial_let_exactly_one_land()
    {
        var store = await CreateCertificateStoreAsync();
        var serial = StoreSamples.NewSerial();
        var attempts = Enumerable.Range(0, 20).Select(i => StoreSamples.Certificate(serial, issuerId: "issuer-" + i)).ToArray();

        var outcomes = await Task.WhenAll(attempts.Select(c => Task.Run(async () =>
        {
            try
            {
                await store.AddAsync(c, None);
                return true;
            }
            catch (PkiException e) when (e.Kind == PkiErrorKind.Conflict)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, landed => landed);
        StoreAssert.Same(attempts[Array.IndexOf(outcomes, true)], await store.GetAsync(serial, None));
    }

    [Fact]
    public async Task Deleting_expired_certificates_removes_only_those_expired_before_the_cutoff_in_batches()
    {
        var store = await CreateCertificateStoreAsync();
        var expired = Enumerable.Range(0, 3).Select(i => StoreSamples.Certificate() with { NotAfter = StoreSamples.Instant.AddDays(-i - 1) }).ToList();
        var current = StoreSamples.Certificate() with { NotAfter = StoreSamples.Instant.AddMilliseconds(1) };
        foreach (var certificate in expired.Append(current))
        {
            await store.AddAsync(certificate, None);
        }

        Assert.Equal(2, await store.DeleteExpiredAsync(StoreSamples.Instant, 2, None));
        Assert.Equal(1, await store.DeleteExpiredAsync(StoreSamples.Instant, 2, None));
        Assert.Equal(0, await store.DeleteExpiredAsync(StoreSamples.Instant, 2, None));

        StoreAssert.Same(current, Assert.Single(await store.ListAsync(null, 10, None)));
    }
}
