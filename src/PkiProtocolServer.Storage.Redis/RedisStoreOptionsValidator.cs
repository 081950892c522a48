using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Checks <see cref="RedisStoreOptions"/> before any connection is tried, so a typo in <c>Pki:Redis</c> stops
/// the server at start with a sentence rather than a timeout later. Messages never repeat the configuration
/// string: it may hold a password.
/// </summary>
public static class RedisStoreOptionsValidator
{
    /// <summary>Longest accepted key prefix; it is repeated in every key, so a long one wastes memory.</summary>
    public const int MaxKeyPrefixLength = 64;

    /// <summary>Every problem found, empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(RedisStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            errors.Add("the Redis configuration string is empty; give at least host:port, e.g. 127.0.0.1:6379");
        }
        else
        {
            try
            {
                if (ConfigurationOptions.Parse(options.Configuration).EndPoints.Count == 0)
                {
                    errors.Add("the Redis configuration string names no endpoint; give at least host:port, e.g. 127.0.0.1:6379");
                }
            }
            catch (ArgumentException e)
            {
                // StackExchange.Redis names the bad keyword, not the whole string, so the password stays out.
                errors.Add("the Redis configuration string is not valid: " + e.Message);
            }
        }

        errors.AddRange(ValidateKeyPrefix(options.KeyPrefix));
        return errors;
    }

    /// <summary>Problems with a key prefix alone (used when the caller brings its own multiplexer).</summary>
    public static IReadOnlyList<string> ValidateKeyPrefix(string? keyPrefix)
    {
        // An empty prefix would mix this server's keys with whatever else lives in the database.
        if (string.IsNullOrEmpty(keyPrefix))
        {
            return ["the key prefix is empty; keep the default 'pki:' or choose another non-empty prefix"];
        }

        if (keyPrefix.Length > MaxKeyPrefixLength)
        {
            return [$"the key prefix is {keyPrefix.Length} characters long; at most {MaxKeyPrefixLength} are allowed"];
        }

        // Whitespace and control characters make keys that redis-cli users cannot type or see.
        return keyPrefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? ["the key prefix contains whitespace or control characters"]
            : [];
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem, if there is any.</summary>
    public static void ThrowIfInvalid(RedisStoreOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Redis store options: " + string.Join("; ", errors), nameof(options));
        }
    }
}
