using System.Reflection;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Storage.Sqlite.Documents;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

public sealed class DocumentTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_role_document_has_a_property_for_every_role_property()
    {
        // A Role setting added in the core without a document property would be silently dropped on save.
        Assert.Equal(PublicProperties(typeof(Role)), PublicProperties(typeof(RoleDocument)));
    }

    [Fact]
    public void The_issuer_columns_and_settings_document_cover_every_issuer_property()
    {
        string[] columns = ["Id", "Name", "KeyId", "CertificateDer", "CreatedAt"];
        string[] settings = ["LeafNotAfterBehavior", "Usage", "Urls", "ManualChain"];
        Assert.Equal(PublicProperties(typeof(Issuer)), columns.Concat(settings).Order(StringComparer.Ordinal));
        Assert.Equal(
            PublicProperties(typeof(IssuerUrls)),
            PublicProperties(typeof(IssuerSettingsDocument)).Except(settings, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_role_document_written_before_a_setting_existed_reads_that_setting_as_its_default()
    {
        var stores = _temp.OpenFresh();
        using (var connection = stores.Database.OpenConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """INSERT INTO roles (name, document) VALUES ('old', '{"name":"old","allow_any_name":true}')""";
            command.ExecuteNonQuery();
        }

        var role = await stores.Roles.GetAsync("old", CancellationToken.None);

        Assert.NotNull(role);
        Assert.True(role.AllowAnyName);
        var defaults = new Role { Name = "old" };
        Assert.Equal(defaults.KeyUsage, role.KeyUsage);
        Assert.Equal(defaults.Ttl, role.Ttl);
        Assert.Equal(defaults.EnforceHostnames, role.EnforceHostnames);
    }

    [Fact]
    public async Task Issuer_enums_are_stored_by_name()
    {
        var stores = _temp.OpenFresh();
        var issuer = Contracts.StoreContracts.StoreSamples.Issuer();
        await stores.Issuers.AddAsync(issuer, null, false, CancellationToken.None);

        using var connection = stores.Database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT settings FROM issuers";
        var json = (string)command.ExecuteScalar()!;

        Assert.Contains("\"leaf_not_after_behavior\":\"Truncate\"", json);
        Assert.Contains("\"usage\":\"CrlSigning, OcspSigning\"", json);
    }

    private static IEnumerable<string> PublicProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal);
}
