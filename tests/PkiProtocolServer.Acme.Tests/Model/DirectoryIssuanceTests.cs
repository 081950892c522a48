using PkiProtocolServer.Acme;
using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme.Tests.Model;

public sealed class DirectoryIssuanceTests
{
    private static readonly AcmeDirectory Directory = new()
    {
        Name = "default",
        Role = "acme-default",
        Issuer = "dev-int",
        Profiles = new Dictionary<string, AcmeProfile>
        {
            ["short"] = new() { Name = "short", Role = "acme-short", Description = "one day" },
            ["hsm"] = new() { Name = "hsm", Role = "acme-hsm", Issuer = "hsm-int", Description = "from the HSM" },
        },
    };

    [Fact]
    public void An_order_without_profile_is_issued_under_the_directorys_role_and_issuer() =>
        Assert.Equal(("acme-default", "dev-int"), Directory.IssuanceOf(null));

    [Fact]
    public void A_profile_gives_its_role_and_its_issuer_or_else_the_directorys_issuer()
    {
        Assert.Equal(("acme-short", "dev-int"), Directory.IssuanceOf("short"));
        Assert.Equal(("acme-hsm", "hsm-int"), Directory.IssuanceOf("hsm"));
    }

    [Fact]
    public void A_profile_the_directory_no_longer_offers_is_invalidProfile_never_the_directorys_role()
    {
        var refused = Assert.Throws<AcmeException>(() => Directory.IssuanceOf("removed"));
        Assert.Equal(AcmeErrorType.InvalidProfile, refused.Type);
        Assert.Contains("'removed'", refused.Message);
    }
}
