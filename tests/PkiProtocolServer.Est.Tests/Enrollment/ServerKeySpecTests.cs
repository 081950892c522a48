using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Est.Enrollment;

namespace PkiProtocolServer.Est.Tests.Enrollment;

public sealed class ServerKeySpecTests
{
    [Fact]
    public void The_csr_key_type_is_generated_when_the_role_allows_it()
    {
        Assert.Equal(KeySpec.Rsa3072, EstEnrollmentService.ServerKeySpec(new Role { Name = "any" }, KeySpec.Rsa3072));
        Assert.Equal(KeySpec.EcP384, EstEnrollmentService.ServerKeySpec(new Role { Name = "ec", KeyType = "ec" }, KeySpec.EcP384));
    }

    [Fact]
    public void Otherwise_the_role_key_type_at_its_minimum_size_is_generated()
    {
        Assert.Equal(KeySpec.EcP256, EstEnrollmentService.ServerKeySpec(new Role { Name = "ec", KeyType = "ec" }, KeySpec.Rsa2048));
        Assert.Equal(KeySpec.Rsa3072, EstEnrollmentService.ServerKeySpec(new Role { Name = "rsa", KeyType = "rsa", KeyBits = 3072 }, KeySpec.Rsa2048));
        Assert.Equal(KeySpec.Ed25519, EstEnrollmentService.ServerKeySpec(new Role { Name = "ed", KeyType = "ed25519" }, KeySpec.EcP256));
    }
}
