using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>
/// Validation DNS for in-process tests: every name is 127.0.0.1; TXT and CAA records are whatever a test publishes;
/// a name in <see cref="ServFail"/> fails its CAA lookup as a SERVFAIL would.
/// </summary>
public sealed class StaticDnsResolver : IAcmeDnsResolver
{
    public Dictionary<string, List<string>> Txt { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IPAddress>>([IPAddress.TryParse(name, out var literal) ? literal : IPAddress.Loopback]);

    public Dictionary<string, List<CaaRecordData>> Caa { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> ServFail { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every CAA lookup made, in order (for the tree-climbing tests).</summary>
    public List<string> CaaQueries { get; } = [];

    public Task<IReadOnlyList<CaaRecordData>> ResolveCaaAsync(string name, CancellationToken cancellationToken)
    {
        lock (Txt)
        {
            CaaQueries.Add(name);
            if (ServFail.Contains(name))
            {
                throw new ChallengeFailedException(Errors.AcmeErrorType.Dns, $"the CAA lookup of '{name}' failed: SERVFAIL");
            }

            return Task.FromResult<IReadOnlyList<CaaRecordData>>(Caa.TryGetValue(name, out var records) ? records.ToList() : []);
        }
    }

    /// <summary>Replaces the CAA RRset of a name (no records: removes it).</summary>
    public void SetCaa(string name, params CaaRecordData[] records)
    {
        lock (Txt)
        {
            Caa[name] = [.. records];
        }
    }

    public Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
    {
        lock (Txt)
        {
            return Task.FromResult<IReadOnlyList<string>>(Txt.TryGetValue(name, out var values) ? values.ToList() : []);
        }
    }

    public void Publish(string name, string value)
    {
        lock (Txt)
        {
            if (!Txt.TryGetValue(name, out var values))
            {
                Txt[name] = values = [];
            }

            values.Add(value);
        }
    }
}
