using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Tests.Model;

/// <summary>The order status machine of RFC 8555 7.1.6, owned by <see cref="AcmeOrder"/>.</summary>
public sealed class OrderStatusMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static AcmeAuthorization Authorization(AuthorizationStatus status, DateTimeOffset? expires = null, AcmeProblem? error = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        AccountId = "account",
        Directory = "default",
        Identifier = new AcmeIdentifier("dns", "www.example.org"),
        Status = status,
        Expires = expires ?? Now.AddHours(1),
        Challenges = [new AcmeChallenge { Id = "c", Type = AcmeChallenge.Http01, Token = "t", Status = error is null ? ChallengeStatus.Pending : ChallengeStatus.Invalid, Error = error }],
        CreatedAt = Now,
    };

    private static AcmeOrder Order(IEnumerable<AcmeAuthorization> authorizations, OrderStatus status = OrderStatus.Pending, DateTimeOffset? expires = null) => new()
    {
        Id = "order",
        AccountId = "account",
        Directory = "default",
        Status = status,
        Expires = expires ?? Now.AddHours(1),
        Identifiers = authorizations.Select(a => a.Identifier).ToList(),
        AuthorizationIds = authorizations.Select(a => a.Id).ToList(),
        CreatedAt = Now,
    };

    [Fact]
    public void An_order_whose_authorizations_are_all_valid_is_ready()
    {
        var authorizations = new[] { Authorization(AuthorizationStatus.Valid), Authorization(AuthorizationStatus.Valid) };

        Assert.Equal(OrderStatus.Ready, Order(authorizations).Refresh(authorizations, Now).Status);
    }

    [Fact]
    public void An_order_with_a_pending_authorization_stays_pending_and_unchanged()
    {
        var authorizations = new[] { Authorization(AuthorizationStatus.Valid), Authorization(AuthorizationStatus.Pending) };
        var order = Order(authorizations);

        Assert.Same(order, order.Refresh(authorizations, Now));
    }

    [Theory]
    [InlineData(AuthorizationStatus.Invalid)]
    [InlineData(AuthorizationStatus.Deactivated)]
    [InlineData(AuthorizationStatus.Revoked)]
    public void An_order_with_a_failed_authorization_is_invalid_and_says_which(AuthorizationStatus failed)
    {
        var authorizations = new[] { Authorization(AuthorizationStatus.Valid), Authorization(failed) };

        var refreshed = Order(authorizations).Refresh(authorizations, Now);

        Assert.Equal(OrderStatus.Invalid, refreshed.Status);
        Assert.Equal("www.example.org", refreshed.Error?.Identifier?.Value);
    }

    [Fact]
    public void An_order_carries_the_challenge_error_that_failed_its_authorization()
    {
        var error = AcmeProblemTable.Problem(AcmeErrorType.Dns, "no TXT record");
        var authorizations = new[] { Authorization(AuthorizationStatus.Invalid, error: error) };

        var refreshed = Order(authorizations).Refresh(authorizations, Now);

        Assert.Equal(AcmeProblemTable.Urn(AcmeErrorType.Dns), refreshed.Error?.Type);
        Assert.Contains("no TXT record", refreshed.Error?.Detail);
    }

    [Fact]
    public void An_order_whose_authorization_expired_or_is_missing_is_invalid()
    {
        var expired = new[] { Authorization(AuthorizationStatus.Valid, expires: Now.AddSeconds(-1)) };

        Assert.Equal(OrderStatus.Invalid, Order(expired).Refresh(expired, Now).Status);
        Assert.Equal(OrderStatus.Invalid, Order(expired).Refresh([], Now).Status);
    }

    [Fact]
    public void An_expired_order_is_invalid_even_with_valid_authorizations()
    {
        var authorizations = new[] { Authorization(AuthorizationStatus.Valid, expires: Now.AddDays(1)) };

        Assert.Equal(OrderStatus.Invalid, Order(authorizations, expires: Now).Refresh(authorizations, Now).Status);
    }

    [Fact]
    public void A_ready_order_is_finalized_through_processing_to_valid()
    {
        var authorizations = new[] { Authorization(AuthorizationStatus.Valid) };
        var ready = Order(authorizations).Refresh(authorizations, Now);

        var processing = ready.BeginFinalize(Now);
        var valid = processing.Complete("cert-1");

        Assert.Equal(OrderStatus.Processing, processing.Status);
        Assert.Equal(OrderStatus.Valid, valid.Status);
        Assert.Equal("cert-1", valid.CertificateId);
        Assert.Same(valid, valid.Refresh([Authorization(AuthorizationStatus.Deactivated)], Now.AddYears(1)));
    }

    [Theory]
    [InlineData(OrderStatus.Pending)]
    [InlineData(OrderStatus.Processing)]
    [InlineData(OrderStatus.Valid)]
    [InlineData(OrderStatus.Invalid)]
    public void Finalizing_an_order_that_is_not_ready_is_orderNotReady(OrderStatus status)
    {
        var order = Order([Authorization(AuthorizationStatus.Valid)], status);

        var e = Assert.Throws<AcmeException>(() => order.BeginFinalize(Now));

        Assert.Equal(AcmeErrorType.OrderNotReady, e.Type);
    }

    [Fact]
    public void A_refused_csr_returns_a_processing_order_to_ready()
    {
        var processing = Order([Authorization(AuthorizationStatus.Valid)], OrderStatus.Ready).BeginFinalize(Now);

        Assert.Equal(OrderStatus.Ready, processing.ReturnToReady().Status);
    }

    [Fact]
    public void An_order_stuck_processing_beyond_the_timeout_becomes_invalid()
    {
        var processing = Order([Authorization(AuthorizationStatus.Valid)], OrderStatus.Ready).BeginFinalize(Now);

        Assert.Equal(OrderStatus.Processing, processing.Refresh([], Now + AcmeOrder.ProcessingTimeout).Status);
        Assert.Equal(OrderStatus.Invalid, processing.Refresh([], Now + AcmeOrder.ProcessingTimeout + TimeSpan.FromSeconds(1)).Status);
    }

    [Fact]
    public void Failing_a_valid_order_changes_nothing()
    {
        var valid = Order([Authorization(AuthorizationStatus.Valid)], OrderStatus.Ready).BeginFinalize(Now).Complete("c");

        Assert.Same(valid, valid.Fail(AcmeProblemTable.Problem(AcmeErrorType.ServerInternal, "x")));
    }
}
