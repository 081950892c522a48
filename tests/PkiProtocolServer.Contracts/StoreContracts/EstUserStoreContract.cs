using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Est.Users;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>What every <see cref="IEstUserStore"/> must do; providers derive and hand out a fresh, empty store per call.</summary>
public abstract class EstUserStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract Task<IEstUserStore> CreateEstUserStoreAsync();

    private static EstUser User(string label = "factory", string? name = null, bool oneTime = false) => new()
    {
        Label = label,
        Name = name ?? "device-" + Guid.NewGuid().ToString("N")[..8],
        PasswordHash = "$pbkdf2-sha256$i=600000$c2FsdHNhbHRzYWx0$" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
        OneTime = oneTime,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123),
        CreatedBy = "token:agent",
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(1_790_086_400_456),
    };

    private static void Same(EstUser expected, EstUser? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Label, actual.Label);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.PasswordHash, actual.PasswordHash);
        Assert.Equal(expected.OneTime, actual.OneTime);
        StoreAssert.SameInstant(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.CreatedBy, actual.CreatedBy);
        Assert.Equal(expected.ExpiresAt?.ToUnixTimeMilliseconds(), actual.ExpiresAt?.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task An_added_user_reads_back_with_every_field_and_unconsumed()
    {
        var store = await CreateEstUserStoreAsync();
        var user = User(oneTime: true);

        await store.AddAsync(user, None);

        var read = await store.GetAsync(user.Label, user.Name, None);
        Same(user, read);
        Assert.Null(read!.ConsumedAt);
        Assert.Null(read.ConsumedFor);
    }

    [Fact]
    public async Task The_same_name_on_two_labels_is_two_users_and_the_default_label_is_the_empty_name()
    {
        var store = await CreateEstUserStoreAsync();
        var onDefault = User(label: string.Empty, name: "device-1");
        var onFactory = User(label: "factory", name: "device-1");

        await store.AddAsync(onDefault, None);
        await store.AddAsync(onFactory, None);

        Same(onDefault, await store.GetAsync(string.Empty, "device-1", None));
        Same(onFactory, await store.GetAsync("factory", "device-1", None));
        Assert.Null(await store.GetAsync("other", "device-1", None));
    }

    [Fact]
    public async Task Adding_a_name_taken_on_the_label_is_a_conflict_that_keeps_the_first()
    {
        var store = await CreateEstUserStoreAsync();
        var first = User(name: "device-1");
        await store.AddAsync(first, None);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => store.AddAsync(User(name: "device-1"), None));

        Same(first, await store.GetAsync("factory", "device-1", None));
    }

    [Fact]
    public async Task Listing_gives_the_label_users_by_name_and_deleting_removes_one()
    {
        var store = await CreateEstUserStoreAsync();
        foreach (var name in new[] { "c", "a", "b" })
        {
            await store.AddAsync(User(name: name), None);
        }

        await store.AddAsync(User(label: "elsewhere", name: "z"), None);

        Assert.Equal(["a", "b", "c"], (await store.ListAsync("factory", None)).Select(u => u.Name));
        Assert.True(await store.DeleteAsync("factory", "b", None));
        Assert.False(await store.DeleteAsync("factory", "b", None));
        Assert.Equal(["a", "c"], (await store.ListAsync("factory", None)).Select(u => u.Name));
    }

    [Fact]
    public async Task A_one_time_user_is_consumed_for_one_request_which_may_retry_and_no_other()
    {
        var store = await CreateEstUserStoreAsync();
        var user = User(oneTime: true);
        await store.AddAsync(user, None);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_100_000);

        Assert.True(await store.TryConsumeAsync(user.Label, user.Name, "hash-a", at, None));
        Assert.True(await store.TryConsumeAsync(user.Label, user.Name, "hash-a", at.AddMinutes(1), None));
        Assert.False(await store.TryConsumeAsync(user.Label, user.Name, "hash-b", at, None));

        var read = await store.GetAsync(user.Label, user.Name, None);
        Assert.Equal("hash-a", read!.ConsumedFor);
        StoreAssert.SameInstant(at, read.ConsumedAt!.Value);
    }

    [Fact]
    public async Task A_user_that_is_not_one_time_or_does_not_exist_is_never_consumed()
    {
        var store = await CreateEstUserStoreAsync();
        var user = User(oneTime: false);
        await store.AddAsync(user, None);

        Assert.False(await store.TryConsumeAsync(user.Label, user.Name, "hash", DateTimeOffset.UtcNow, None));
        Assert.False(await store.TryConsumeAsync(user.Label, "nobody", "hash", DateTimeOffset.UtcNow, None));
        Assert.Null((await store.GetAsync(user.Label, user.Name, None))!.ConsumedAt);
    }

    [Fact]
    public async Task Racing_requests_with_different_csrs_let_exactly_one_consume_a_one_time_user()
    {
        var store = await CreateEstUserStoreAsync();
        var user = User(oneTime: true);
        await store.AddAsync(user, None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => store.TryConsumeAsync(user.Label, user.Name, "hash-" + i, DateTimeOffset.UtcNow, None))));

        Assert.Single(outcomes, won => won);
    }
}
