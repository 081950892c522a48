using PkiProtocolServer.Est.Enrollment;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>What every <see cref="IPendingEnrollmentStore"/> must do; providers derive and hand out a fresh, empty store per call.</summary>
public abstract class PendingEnrollmentStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);

    protected abstract Task<IPendingEnrollmentStore> CreatePendingEnrollmentStoreAsync();

    private static PendingEnrollment Enrollment(string? hash = null, string label = "factory", EstOperation operation = EstOperation.SimpleEnroll, DateTimeOffset? at = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Label = label,
        Operation = operation,
        RequestHash = hash ?? Guid.NewGuid().ToString("N"),
        CsrDer = [0x30, 0x03, 0x02, 0x01, 0x00],
        Requester = "est:factory/user:device-1",
        CommonName = "device-1",
        SubjectAlternativeNames = ["dns:device-1", "ip:10.0.0.7"],
        State = PendingEnrollmentState.Pending,
        CreatedAt = at ?? T0,
    };

    private static void Same(PendingEnrollment expected, PendingEnrollment? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Label, actual.Label);
        Assert.Equal(expected.Operation, actual.Operation);
        Assert.Equal(expected.RequestHash, actual.RequestHash);
        Assert.Equal(expected.CsrDer, actual.CsrDer);
        Assert.Equal(expected.Requester, actual.Requester);
        Assert.Equal(expected.CommonName, actual.CommonName);
        Assert.Equal(expected.SubjectAlternativeNames, actual.SubjectAlternativeNames);
        Assert.Equal(expected.State, actual.State);
        StoreAssert.SameInstant(expected.CreatedAt, actual.CreatedAt);
    }

    [Fact]
    public async Task An_added_enrollment_reads_back_by_id_and_as_the_open_one_for_its_request()
    {
        var store = await CreatePendingEnrollmentStoreAsync();
        var enrollment = Enrollment();

        Same(enrollment, await store.AddOrGetOpenAsync(enrollment, None));

        Same(enrollment, await store.GetAsync(enrollment.Id, None));
        Same(enrollment, await store.FindOpenAsync("factory", EstOperation.SimpleEnroll, enrollment.RequestHash, None));
        Assert.Null(await store.FindOpenAsync("factory", EstOperation.ServerKeyGen, enrollment.RequestHash, None));
        Assert.Null(await store.FindOpenAsync(string.Empty, EstOperation.SimpleEnroll, enrollment.RequestHash, None));
        Assert.Null(await store.GetAsync("unknown", None));
    }

    [Fact]
    public async Task Adding_the_same_request_again_returns_the_open_one_instead_of_a_twin()
    {
        var store = await CreatePendingEnrollmentStoreAsync();
        var first = Enrollment("same-hash");

        await store.AddOrGetOpenAsync(first, None);
        var again = await store.AddOrGetOpenAsync(Enrollment("same-hash"), None);

        Same(first, again);
        Assert.Single(await store.ListAsync(null, 10, None));
    }

    [Fact]
    public async Task Racing_adds_of_one_request_leave_exactly_one_record()
    {
        var store = await CreatePendingEnrollmentStoreAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.AddOrGetOpenAsync(Enrollment("raced"), None))));

        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Single(await store.ListAsync(null, 100, None));
    }

    [Fact]
    public async Task A_pending_enrollment_is_decided_once_and_a_second_decision_loses()
    {
        var store = await CreatePendingEnrollmentStoreAsync();
        var enrollment = await store.AddOrGetOpenAsync(Enrollment(), None);

        Assert.True(await store.DecideAsync(enrollment.Id, PendingEnrollmentState.Rejected, "token:agent", "unknown device", T0.AddMinutes(5), None));
        Assert.False(await store.DecideAsync(enrollment.Id, PendingEnrollmentState.Approved, "token:other", null, T0.AddMinutes(6), None));
        Assert.False(await store.DecideAsync("unknown", PendingEnrollmentState.Approved, "token:other", null, T0, None));

        var read = await store.GetAsync(enrollment.Id, None);
        Assert.Equal(PendingEnrollmentState.Rejected, read!.State);
        Assert.Equal("token:agent", read.DecidedBy);
        Assert.Equal("unknown device", read.Reason);
        StoreAssert.SameInstant(T0.AddMinutes(5), read.DecidedAt!.Value);
        Same(read, await store.FindOpenAsync(read.Label, read.Operation, read.RequestHash, None));
    }

    [Fact]
    public async Task An_approved_enrollment_is_claimed_by_exactly_one_poll_then_records_its_serial_and_closes()
    {
        var store = await CreatePendingEnrollmentStoreAsync();
        var enrollment = await store.AddOrGetOpenAsync(Enrollment(), None);
        Assert.False(await store.ClaimAsync(enrollment.Id, T0, None));
        Assert.True(await store.DecideAsync(enrollment.Id, PendingEnrollmentState.Approved, "token:agent", null, T0, None));

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.ClaimAsync(enrollment.Id, T0.AddMinutes(1), None))));
        await store.RecordSerialAsync(enrollment.Id, "0abc", None);

        Assert.Single(claims, won => won);
        var read = await store.GetAsync(enrollment.Id, None);
        Assert.Equal(PendingEnrollmentState.Completed, read!.State);
        Assert.Equal("0abc", read.Serial);
        StoreAssert.SameInstant(T0.AddMinutes(1), read.CompletedAt!.Value);
        Assert.Null(await store.FindOpenAsync(read.Label, read.Operation, read.RequestHash, None));
    }

    [Fact]
    public async Task A_closed_request_may_be_asked_for_afresh_as_a_new_enrollment()
    {
        var store = await CreatePendingEnrollmentStoreAsync();
        var first = await store.AddOrGetOpenAsync(Enrollment("repeat"), None);
        await store.DecideAsync(first.Id, PendingEnrollmentState.Approved, "token:agent", null, T0, None);
        await store.ClaimAsync(first.Id, T0, None);
        await store.MarkFailedAsync(first.Id, "role changed", None);

        var second = await store.AddOrGetOpenAsync(Enrollment("repeat"), None);

        Assert.NotEqual(first.Id, second.Id);
        var failed = await store.GetAsync(first.Id, None);
        Assert.Equal(PendingEnrollmentState.Failed, failed!.State);
        Assert.Equal("role changed", failed.Reason);
    }

    [Fact]
    public async Task Listing_orders_by_creation_and_filters_by_state_up_to_the_limit()
    {
        var store = await CreatePendingEnrollmentStoreAsync();
        var third = await store.AddOrGetOpenAsync(Enrollment(at: T0.AddMinutes(3)), None);
        var first = await store.AddOrGetOpenAsync(Enrollment(at: T0.AddMinutes(1)), None);
        var second = await store.AddOrGetOpenAsync(Enrollment(at: T0.AddMinutes(2)), None);
        await store.DecideAsync(second.Id, PendingEnrollmentState.Approved, "token:agent", null, T0, None);

        Assert.Equal([first.Id, second.Id, third.Id], (await store.ListAsync(null, 10, None)).Select(e => e.Id));
        Assert.Equal([first.Id, third.Id], (await store.ListAsync(PendingEnrollmentState.Pending, 10, None)).Select(e => e.Id));
        Assert.Equal([first.Id], (await store.ListAsync(PendingEnrollmentState.Pending, 1, None)).Select(e => e.Id));
        Assert.Equal([second.Id], (await store.ListAsync(PendingEnrollmentState.Approved, 10, None)).Select(e => e.Id));
        Assert.Empty(await store.ListAsync(PendingEnrollmentState.Completed, 10, None));
    }
}
