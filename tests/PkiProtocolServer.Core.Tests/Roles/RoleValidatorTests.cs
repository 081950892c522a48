using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Core.Tests.Roles;

public sealed class RoleValidatorTests
{
    [Theory]
    [InlineData("bad name")]
    [InlineData("")]
    [InlineData("a/b")]
    public void Role_names_outside_the_safe_alphabet_are_refused(string name)
    {
        Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = name }));
    }

    [Fact]
    public void Ttl_longer_than_max_ttl_is_refused_at_write_time()
    {
        var ex = Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = "r", Ttl = TimeSpan.FromDays(100), MaxTtl = TimeSpan.FromDays(90) }));

        Assert.Contains("max_ttl", ex.Message);
    }

    [Fact]
    public void Unknown_key_usages_and_bad_oids_are_refused()
    {
        Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = "r", KeyUsage = ["Teleport"] }));
        Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = "r", ExtKeyUsage = ["Nope"] }));
        Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = "r", ExtKeyUsageOids = ["not.an.oid"] }));
        Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = "r", PolicyIdentifiers = ["1.2.x"] }));
    }

    [Fact]
    public void Key_bits_must_fit_the_key_type()
    {
        Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = "r", KeyType = "rsa", KeyBits = 1024 }));
        Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = "r", KeyType = "ec", KeyBits = 521 }));
    }

    [Fact]
    public void Glob_allowed_domains_need_allow_glob_domains()
    {
        Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = "r", AllowedDomains = ["web-*.example.com"] }));
        RoleValidator.Validate(new Role { Name = "r", AllowedDomains = ["web-*.example.com"], AllowGlobDomains = true });
    }

    [Theory]
    [InlineData("")]
    [InlineData("USA")]
    public void Subject_attributes_that_x500_cannot_carry_are_refused_at_write_time(string country)
    {
        Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = "r", Country = [country] }));
    }

    [Fact]
    public void An_empty_organization_is_refused()
    {
        Assert.Throws<PkiException>(() => RoleValidator.Validate(new Role { Name = "r", Organization = [""] }));
    }
}
