namespace PkiProtocolServer.Storage.Redis;

/// <summary>Redis settings that decide whether durable records are safe there.</summary>
/// <param name="AppendOnly">Whether AOF is on; null when the server would not say.</param>
/// <param name="MaxMemoryPolicy">The eviction policy; anything but <c>noeviction</c> can silently drop records.</param>
public sealed record RedisServerFacts(bool? AppendOnly, string? MaxMemoryPolicy)
{
    /// <summary>What an operator should fix, one sentence each; empty when the settings are safe or unknown.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var warnings = new List<string>();
            if (AppendOnly == false)
            {
                // Without AOF, a restart loses everything since the last RDB snapshot: issued certificates included.
                warnings.Add("Redis runs without AOF (appendonly no): records written since the last snapshot are lost on restart; set appendonly yes");
            }

            if (MaxMemoryPolicy is not null && MaxMemoryPolicy != "noeviction")
            {
                warnings.Add($"Redis evicts keys under memory pressure (maxmemory-policy {MaxMemoryPolicy}): issuers and certificate records could vanish; set maxmemory-policy noeviction");
            }

            return warnings;
        }
    }
}
