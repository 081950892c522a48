using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PkiProtocolServer.Composition;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Storage.Sqlite;

namespace PkiProtocolServer.Tests;

/// <summary>Which state the host runs on: SQLite unless <c>Pki:Redis</c> is set; a bad <c>Pki:Redis</c> stops the start.</summary>
public sealed class StateSelectionTests
{
    [Fact]
    public async Task Without_pki_redis_the_state_is_the_embedded_sqlite_file_in_the_data_directory()
    {
        await using var server = new PkiServerFactory();

        var state = server.Services.GetRequiredService<StateStores>();

        Assert.Equal("embedded SQLite", state.Kind);
        Assert.Equal(server.DataPath("pki.db"), state.Location);
        Assert.Null(state.Redis);
        Assert.IsType<SqliteIssuerStore>(server.Services.GetRequiredService<IIssuerStore>());
    }

    [Fact]
    public async Task A_pki_redis_value_that_is_no_redis_configuration_stops_the_start_naming_the_key_but_not_the_password()
    {
        await using var server = new PkiServerFactory();
        await using var misconfigured = server.WithWebHostBuilder(b => b.UseSetting("Pki:Redis", "127.0.0.1:6379,password=s3cret,noSuchKeyword=1"));

        var e = Assert.ThrowsAny<Exception>(() => misconfigured.Services);

        var messages = string.Join(" | ", Chain(e).Select(x => x.Message));
        Assert.Contains("Pki:Redis", messages);
        Assert.Contains("noSuchKeyword", messages);
        Assert.DoesNotContain("s3cret", messages);
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
