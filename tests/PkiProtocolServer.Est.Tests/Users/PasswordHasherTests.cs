using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Est.Tests.Users;

public sealed class PasswordHasherTests
{
    private static readonly PasswordHasher Hasher = new(PasswordHasher.MinimumIterations);

    [Fact]
    public void A_hash_verifies_its_password_and_nothing_else()
    {
        var hash = Hasher.Hash("correct horse battery staple");

        Assert.True(PasswordHasher.Verify("correct horse battery staple", hash));
        Assert.False(PasswordHasher.Verify("correct horse battery stapl", hash));
        Assert.False(PasswordHasher.Verify(string.Empty, hash));
    }

    [Fact]
    public void Hashes_are_salted_pbkdf2_sha256_strings_that_never_contain_the_password()
    {
        var first = Hasher.Hash("same password");
        var second = Hasher.Hash("same password");

        Assert.NotEqual(first, second);
        Assert.StartsWith("$pbkdf2-sha256$i=100000$", first);
        Assert.DoesNotContain("same password", first);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("$pbkdf2-sha256$i=1000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    [InlineData("$pbkdf2-sha1$i=600000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    [InlineData("$pbkdf2-sha256$i=600000$!!!$aGFzaA==")]
    [InlineData("$pbkdf2-sha256$i=600000$c2FsdHNhbHQ=$")]
    public void A_malformed_or_weak_stored_hash_never_verifies(string stored)
    {
        Assert.False(PasswordHasher.Verify("anything", stored));
    }

    [Fact]
    public void Fewer_iterations_than_the_safe_minimum_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(10_000));
    }
}
