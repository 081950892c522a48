namespace PkiProtocolServer.Storage.Redis.Tests;

public sealed class RedisStoreOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("redis.internal:6380,password=s3cret,ssl=true,defaultDatabase=2,abortConnect=false")]
    public void A_usable_configuration_with_the_default_prefix_is_valid(string configuration)
    {
        Assert.Empty(RedisStoreOptionsValidator.Validate(new RedisStoreOptions { Configuration = configuration }));
    }

    [Theory]
    [InlineData("", "pki:", "empty")]
    [InlineData("   ", "pki:", "empty")]
    [InlineData("password=s3cret", "pki:", "no endpoint")]
    [InlineData("127.0.0.1:6379,noSuchKeyword=1", "pki:", "not valid")]
    [InlineData("127.0.0.1:6379", "", "prefix is empty")]
    [InlineData("127.0.0.1:6379", "pki :", "whitespace")]
    [InlineData("127.0.0.1:6379", "pki\n", "whitespace")]
    public void Unusable_options_are_refused_with_a_sentence_that_never_repeats_the_password(string configuration, string prefix, string expected)
    {
        var errors = RedisStoreOptionsValidator.Validate(new RedisStoreOptions { Configuration = configuration, KeyPrefix = prefix });

        var error = Assert.Single(errors);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("s3cret", error);
    }

    [Fact]
    public void A_prefix_longer_than_the_limit_is_refused()
    {
        var errors = RedisStoreOptionsValidator.ValidateKeyPrefix(new string('p', RedisStoreOptionsValidator.MaxKeyPrefixLength + 1));

        Assert.Contains("at most", Assert.Single(errors));
    }

    [Fact]
    public void Connecting_with_invalid_options_throws_before_any_connection_is_tried()
    {
        var e = Assert.Throws<ArgumentException>(() => RedisStores.Connect(new RedisStoreOptions { Configuration = "127.0.0.1:6379", KeyPrefix = "" }));

        Assert.Contains("prefix is empty", e.Message);
    }

    [Fact]
    public void Connecting_to_a_port_nobody_listens_on_names_the_endpoint_but_not_the_password()
    {
        var port = FreePort();

        var e = Assert.Throws<InvalidOperationException>(() => RedisStores.Connect(new RedisStoreOptions
        {
            Configuration = $"127.0.0.1:{port},password=s3cret,connectTimeout=300,connectRetry=1",
        }));

        Assert.Contains($"127.0.0.1:{port}", e.Message);
        Assert.DoesNotContain("s3cret", e.Message);
    }

    [Fact]
    public void Opening_with_abort_connect_off_while_redis_is_down_fails_at_open_rather_than_later()
    {
        var port = FreePort();

        var e = Assert.Throws<InvalidOperationException>(() => RedisStores.Connect(new RedisStoreOptions
        {
            Configuration = $"127.0.0.1:{port},password=s3cret,abortConnect=false,connectTimeout=300,syncTimeout=500",
        }));

        Assert.Contains("did not answer", e.Message);
        Assert.DoesNotContain("s3cret", e.Message);
    }

    [Fact]
    public void Describe_shows_endpoint_database_and_prefix_but_not_the_password()
    {
        using var redis = new RedisServer("--requirepass", "s3cret");
        using var stores = RedisStores.Connect(new RedisStoreOptions { Configuration = redis.Endpoint + ",password=s3cret,defaultDatabase=5", KeyPrefix = "node:" });

        var description = stores.Connection.Describe();

        Assert.Contains(redis.Endpoint, description);
        Assert.Contains("database 5", description);
        Assert.Contains("'node:'", description);
        Assert.DoesNotContain("s3cret", description);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
