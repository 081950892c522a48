using System.Collections.Concurrent;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Core.Tests.Support;

/// <summary>Wraps a custody and counts the signatures each key makes, to prove which key a code path uses.</summary>
public sealed class CountingCustody : IKeyCustody
{
    private readonly IKeyCustody _inner;

    public CountingCustody(IKeyCustody inner)
    {
        _inner = inner;
    }

    public ConcurrentDictionary<string, int> Signatures { get; } = new(StringComparer.Ordinal);

    public string Name => _inner.Name;

    public bool IsDevelopmentGrade => _inner.IsDevelopmentGrade;

    public int SignaturesBy(string keyReference) => Signatures.TryGetValue(keyReference, out var count) ? count : 0;

    public async ValueTask<ISigner> GenerateAsync(KeySpec spec, string label, CancellationToken cancellationToken) =>
        new Counted(await _inner.GenerateAsync(spec, label, cancellationToken), this);

    public async ValueTask<ISigner> OpenAsync(string keyReference, CancellationToken cancellationToken) =>
        new Counted(await _inner.OpenAsync(keyReference, cancellationToken), this);

    public ValueTask<bool> DeleteAsync(string keyReference, CancellationToken cancellationToken) => _inner.DeleteAsync(keyReference, cancellationToken);

    private sealed class Counted(ISigner inner, CountingCustody owner) : ISigner
    {
        public string KeyReference => inner.KeyReference;

        public KeySpec KeySpec => inner.KeySpec;

        public ReadOnlyMemory<byte> SubjectPublicKeyInfo => inner.SubjectPublicKeyInfo;

        public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, SignatureAlgorithm algorithm, CancellationToken cancellationToken)
        {
            owner.Signatures.AddOrUpdate(inner.KeyReference, 1, (_, n) => n + 1);
            return inner.SignAsync(data, algorithm, cancellationToken);
        }
    }
}
