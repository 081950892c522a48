using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>Validation DNS for in-process tests: every name is 127.0.0.1; TXT records are whatever a test publishes.</summary>
public sealed class StaticDnsResolver : IAcmeDnsResolver
{
    public Dictionary<string, List<string>> Txt { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IPAddress>>([IPAddress.TryParse(name, out var literal) ? literal : IPAddress.Loopback]);

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
