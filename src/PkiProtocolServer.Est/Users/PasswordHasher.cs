using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PkiProtocolServer.Est.Users;

/// <summary>
/// Salted, slow password hashes: PBKDF2-HMAC-SHA256 (RFC 8018) with a 16-byte random salt, written as
/// <c>$pbkdf2-sha256$i=600000$salt$hash</c> (PHC string format) so the cost can rise later without breaking old hashes.
/// Comparison is constant-time.
/// </summary>
public sealed class PasswordHasher
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>The floor for stored hashes: anything cheaper is refused as unsafe (OWASP 2023 asks 600,000).</summary>
    public const int MinimumIterations = 100_000;

    private readonly int _iterations;
    private readonly Lazy<string> _decoy;

    public PasswordHasher(int iterations)
    {
        if (iterations < MinimumIterations)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"PBKDF2 needs at least {MinimumIterations} iterations");
        }

        _iterations = iterations;
        // A real hash of a random password: unknown users are checked against it so their answer takes as long.
        _decoy = new Lazy<string>(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, _iterations);
        return string.Create(CultureInfo.InvariantCulture, $"${Scheme}$i={_iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="encoded"/>; false for any malformed hash.</summary>
    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 5 || parts[0].Length != 0 || parts[1] != Scheme || !parts[2].StartsWith("i=", StringComparison.Ordinal)
            || !int.TryParse(parts[2].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < MinimumIterations)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[3]);
            expected = Convert.FromBase64String(parts[4]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (salt.Length < 8 || expected.Length is < 16 or > 64)
        {
            return false;
        }

        var actual = Derive(password, salt, iterations, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Spends the time of one verification: for a user that does not exist, whose answer must take as long.</summary>
    public void VerifyDecoy(string password) => Verify(password, _decoy.Value);

    private static byte[] Derive(string password, byte[] salt, int iterations, int length = HashBytes) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, length);
}
