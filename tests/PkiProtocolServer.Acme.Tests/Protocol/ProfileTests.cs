namespace PkiProtocolServer.Acme.Tests.Protocol;

/// <summary>Certificate profiles (draft-ietf-acme-profiles): advertised in meta.profiles, chosen in newOrder, issued under the profile's role.</summary>
public sealed class ProfileTests : IClassFixture<AcmeServerFixture>
{
    private readonly AcmeServerFixture _fixture;

    public ProfileTests(AcmeServerFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task The_directory_lists_its_profiles_with_their_descriptions()
    {
        using var client = _fixture.Server.AcmeClient();
        var meta = (await client.LoadDirectoryAsync())["meta"]!;
        using var narrow = _fixture.Server.AcmeClient(directoryPath: "/acme/narrow/directory");
        var narrowMeta = (await narrow.LoadDirectoryAsync())["meta"]!;

        Assert.Equal("one-day certificates for example.org", meta["profiles"]![AcmeServerFixture.ShortProfile]!.GetValue<string>());
        Assert.Null(narrowMeta["profiles"]);
    }

    [Fact]
    public async Task An_order_with_a_profile_is_issued_under_its_role_and_echoes_it()
    {
        await _fixture.PutShortRoleAsync();
        using var client = await _fixture.RegisteredClientAsync();

        var (certificate, order) = await _fixture.IssueAsync(client, new JsonObject { ["profile"] = AcmeServerFixture.ShortProfile }, "short.example.org");
        var (usual, plain) = await _fixture.IssueAsync(client, null, "usual.example.org");

        Assert.Equal(AcmeServerFixture.ShortProfile, order["profile"]!.GetValue<string>());
        Assert.Null(plain["profile"]);
        Assert.True(certificate.NotAfter - certificate.NotBefore <= TimeSpan.FromHours(25), $"the profile's role gives 24 h, got {certificate.NotAfter - certificate.NotBefore}");
        Assert.True(usual.NotAfter - usual.NotBefore >= TimeSpan.FromDays(89), "an order without profile keeps the directory's role");
    }

    [Fact]
    public async Task The_profiles_role_checks_the_names_at_newOrder()
    {
        await _fixture.PutShortRoleAsync();
        using var client = await _fixture.RegisteredClientAsync();

        var refused = await client.PostAsync(client.Url("newOrder"), Order("www.example.net", AcmeServerFixture.ShortProfile));
        var accepted = await client.PostAsync(client.Url("newOrder"), Order("www.example.net", null));

        refused.ExpectProblem(HttpStatusCode.BadRequest, "rejectedIdentifier");
        accepted.Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_directorys_default_profile_applies_to_orders_that_name_none()
    {
        await _fixture.PutShortRoleAsync();
        using var client = await _fixture.RegisteredClientAsync(directoryPath: "/acme/profiled/directory");

        var created = (await client.PostAsync(client.Url("newOrder"), Order("default-profile.example.org", null))).Expect(HttpStatusCode.Created);

        Assert.Equal(AcmeServerFixture.ShortProfile, created.Json["profile"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_profile_is_invalidProfile_and_a_non_string_one_malformed()
    {
        using var client = await _fixture.RegisteredClientAsync();
        using var narrow = await _fixture.RegisteredClientAsync(directoryPath: "/acme/narrow/directory");
        var wrongType = Order("x.example.org", null);
        wrongType["profile"] = 7;

        var unknown = (await client.PostAsync(client.Url("newOrder"), Order("x.example.org", "tlsserver"))).ExpectProblem(HttpStatusCode.BadRequest, "invalidProfile");
        (await narrow.PostAsync(narrow.Url("newOrder"), Order("x.example.org", AcmeServerFixture.ShortProfile))).ExpectProblem(HttpStatusCode.BadRequest, "invalidProfile");
        (await client.PostAsync(client.Url("newOrder"), wrongType)).ExpectProblem(HttpStatusCode.BadRequest, "malformed");

        Assert.Contains(AcmeServerFixture.ShortProfile, unknown["detail"]!.GetValue<string>());
    }

    [Fact]
    public void Profiles_without_a_role_or_an_unknown_default_profile_are_refused_at_start()
    {
        var options = new AcmeOptions();
        options.Directories["default"] = new AcmeDirectoryOptions { DefaultProfile = "missing" };
        options.Directories["default"].Profiles["norole"] = new AcmeProfileOptions();
        options.Directories["default"].Profiles["bad name!"] = new AcmeProfileOptions { Role = "r" };

        var refusals = AcmeDirectories.Validate(options).ToList();

        Assert.Contains(refusals, r => r.Contains("Profiles:norole:Role", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Contains("Profiles:bad name!", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Contains("DefaultProfile 'missing'", StringComparison.Ordinal));
    }

    private static JsonObject Order(string name, string? profile)
    {
        var order = new JsonObject { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = "dns", ["value"] = name }) };
        if (profile is not null)
        {
            order["profile"] = profile;
        }

        return order;
    }
}
