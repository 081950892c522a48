using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Issuers;

/// <summary>All issuers at one moment, with chains built. Immutable; a new one replaces it after a change.</summary>
public sealed class IssuerSnapshot
{
    internal IssuerSnapshot(IReadOnlyList<IssuerContext> issuers, string? defaultId, DateTimeOffset loadedAt)
    {
        All = issuers;
        ById = issuers.ToDictionary(i => i.Issuer.Id, StringComparer.Ordinal);
        DefaultId = defaultId;
        LoadedAt = loadedAt;
        foreach (var issuer in issuers)
        {
            issuer.Chain = BuildChain(issuer);
        }
    }

    public IReadOnlyList<IssuerContext> All { get; }

    public IReadOnlyDictionary<string, IssuerContext> ById { get; }

    public string? DefaultId { get; }

    public DateTimeOffset LoadedAt { get; }

    public IssuerContext? Default => DefaultId is not null && ById.TryGetValue(DefaultId, out var d) ? d : null;

    /// <summary>Resolves <c>default</c>, an id or a name.</summary>
    public IssuerContext? Find(string reference)
    {
        if (string.Equals(reference, "default", StringComparison.OrdinalIgnoreCase))
        {
            return Default;
        }

        return ById.TryGetValue(reference, out var byId)
            ? byId
            : All.FirstOrDefault(i => string.Equals(i.Issuer.Name, reference, StringComparison.Ordinal));
    }

    public IssuerContext Resolve(string reference) =>
        Find(reference) ?? throw PkiException.NotFound(string.Equals(reference, "default", StringComparison.OrdinalIgnoreCase)
            ? "no default issuer is configured"
            : $"issuer '{reference}' does not exist");

    /// <summary>Parents of <paramref name="child"/>: issuers whose subject is its issuer name and whose key id matches its AKI.</summary>
    public IEnumerable<IssuerContext> ParentsOf(IssuerContext child) =>
        All.Where(candidate => candidate != child
                && candidate.Certificate.SubjectName.RawData.AsSpan().SequenceEqual(child.Certificate.IssuerName.RawData)
                && (child.AuthorityKeyIdentifier is null || child.AuthorityKeyIdentifier.AsSpan().SequenceEqual(candidate.KeyIdentifier)))
            .OrderByDescending(c => c.IsSelfSigned)
            .ThenByDescending(c => c.NotAfter);

    /// <summary>
    /// Every chain up to a self-signed issuer that a certificate of <paramref name="issuer"/> validates through, other
    /// than its <see cref="IssuerContext.Chain"/>: through the issuer itself and through its twins (the same subject
    /// and key, signed by another parent: a cross-signed intermediate), issuing CA first. These are the alternates a
    /// protocol front end offers (RFC 8555 7.4.2).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<IssuerContext>> AlternateChains(IssuerContext issuer)
    {
        var found = new List<IReadOnlyList<IssuerContext>>();
        var twins = All.Where(c => c == issuer
            || (c.Certificate.SubjectName.RawData.AsSpan().SequenceEqual(issuer.Certificate.SubjectName.RawData)
                && c.SubjectPublicKeyInfo.AsSpan().SequenceEqual(issuer.SubjectPublicKeyInfo)))
            .OrderByDescending(c => c == issuer);
        foreach (var start in twins)
        {
            Walk([start], found);
        }

        return found.Where(chain => !chain.SequenceEqual(issuer.Chain)).ToList();
    }

    private void Walk(List<IssuerContext> path, List<IReadOnlyList<IssuerContext>> found)
    {
        var current = path[^1];
        if (current.IsSelfSigned)
        {
            found.Add(path.ToList());
            return;
        }

        var parents = ParentsOf(current).Where(p => !path.Contains(p)).ToList();
        if (parents.Count == 0 || path.Count >= 10 || found.Count >= 8)
        {
            // A chain that stops at an issuer whose parent the server does not hold still counts as a chain.
            if (parents.Count == 0)
            {
                found.Add(path.ToList());
            }

            return;
        }

        foreach (var parent in parents)
        {
            path.Add(parent);
            Walk(path, found);
            path.RemoveAt(path.Count - 1);
        }
    }

    private List<IssuerContext> BuildChain(IssuerContext issuer)
    {
        if (issuer.Issuer.ManualChain is { Count: > 0 } manual)
        {
            return manual.Select(id => ById.TryGetValue(id, out var c) ? c : null).OfType<IssuerContext>().ToList();
        }

        var chain = new List<IssuerContext> { issuer };
        var current = issuer;
        while (!current.IsSelfSigned && chain.Count < 10)
        {
            var parent = ParentsOf(current).FirstOrDefault(p => !chain.Contains(p));
            if (parent is null)
            {
                break;
            }

            chain.Add(parent);
            current = parent;
        }

        return chain;
    }
}
