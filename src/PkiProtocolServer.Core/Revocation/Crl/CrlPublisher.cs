using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Revocation.Crl;

/// <summary>
/// Builds and publishes the CRLs of every CRL-signing issuer: a complete CRL and a delta CRL per scope
/// (all entries, and each shard when sharding is on), signed through the issuer's key custody. Publishing
/// never goes backwards (the store keeps the higher CRL number), so two builders at once are harmless;
/// the background lease only keeps them from doing the work twice.
/// </summary>
public sealed class CrlPublisher
{
    private readonly IRevocationStore _revocations;
    private readonly ICrlStore _crls;
    private readonly IssuerCatalog _catalog;
    private readonly KeyCustodyRegistry _keys;
    private readonly RevocationOptions _options;
    private readonly TimeProvider _time;

    public CrlPublisher(IRevocationStore revocations, ICrlStore crls, IssuerCatalog catalog, KeyCustodyRegistry keys, RevocationOptions options, TimeProvider time)
    {
        _revocations = revocations;
        _crls = crls;
        _catalog = catalog;
        _keys = keys;
        _options = options;
        _time = time;
    }

    /// <summary>True for issuers that can sign CRLs here: they have a key and the crl-signing usage (a retiring issuer keeps it).</summary>
    public static bool SignsCrls(IssuerContext issuer) => issuer.Key is not null && issuer.Issuer.Usage.HasFlag(IssuerUsage.CrlSigning);

    /// <summary>
    /// Publishes what is due for every CRL-signing issuer: a missing CRL, one past its rebuild interval,
    /// one that does not cover the newest revocation (per <see cref="CrlOptions.RebuildOnRevocation"/>), a delta whose
    /// base changed; everything when <paramref name="force"/>. One issuer failing (its HSM down) does not stop the others.
    /// </summary>
    public async Task<CrlPublishReport> PublishDueAsync(bool force, CancellationToken cancellationToken)
    {
        var report = new CrlPublishReport();
        if (!_options.Crl.Enabled)
        {
            return report;
        }

        var snapshot = await _catalog.GetAsync(cancellationToken).ConfigureAwait(false);
        foreach (var issuer in snapshot.All.Where(SignsCrls))
        {
            try
            {
                report.Published.AddRange(await PublishDueAsync(issuer, snapshot, force, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                report.Failures.Add(new CrlPublishFailure(issuer.Issuer.Id, ex));
            }
        }

        return report;
    }

    /// <summary>Builds and publishes the CRL of one slot now, with its base first when a delta is asked for and none exists.</summary>
    public async Task<CrlInfo> PublishNowAsync(IssuerContext issuer, int? shard, bool delta, CancellationToken cancellationToken)
    {
        var snapshot = await _catalog.GetAsync(cancellationToken).ConfigureAwait(false);
        var group = EquivalentIssuerIds(issuer, snapshot);
        var watermark = Watermark(await _revocations.WatermarksAsync(group, cancellationToken).ConfigureAwait(false), shard);
        var full = await _crls.GetInfoAsync(issuer.Issuer.Id, shard, delta: false, cancellationToken).ConfigureAwait(false);
        if (full is null || !delta)
        {
            full = await BuildAsync(issuer, group, shard, null, watermark, cancellationToken).ConfigureAwait(false);
        }

        return delta ? await BuildAsync(issuer, group, shard, full, watermark, cancellationToken).ConfigureAwait(false) : full;
    }

    /// <summary>The scopes an issuer publishes: all entries (null), every configured shard, and any shard its revocations name.</summary>
    public IReadOnlyList<int?> Scopes(IEnumerable<ShardWatermark> watermarks)
    {
        var shards = new SortedSet<int>(watermarks.Where(w => w.Shard is not null).Select(w => w.Shard!.Value));
        if (_options.Crl.Shards > 1)
        {
            shards.UnionWith(Enumerable.Range(0, _options.Crl.Shards));
        }

        return [null, .. shards.Select(s => (int?)s)];
    }

    /// <summary>
    /// Issuers whose CRLs hold the same revocations as <paramref name="issuer"/>: those with the same subject and key (a reissued
    /// issuer certificate). A relying party cannot tell which of them signed a certificate, so their revocations go on each one's CRL.
    /// </summary>
    public static IReadOnlyList<string> EquivalentIssuerIds(IssuerContext issuer, IssuerSnapshot snapshot) =>
        snapshot.All
            .Where(other => other.Certificate.SubjectName.RawData.AsSpan().SequenceEqual(issuer.Certificate.SubjectName.RawData)
                && other.SubjectPublicKeyInfo.AsSpan().SequenceEqual(issuer.SubjectPublicKeyInfo))
            .Select(other => other.Issuer.Id)
            .ToList();

    private async Task<List<CrlInfo>> PublishDueAsync(IssuerContext issuer, IssuerSnapshot snapshot, bool force, CancellationToken cancellationToken)
    {
        var group = EquivalentIssuerIds(issuer, snapshot);
        var watermarks = await _revocations.WatermarksAsync(group, cancellationToken).ConfigureAwait(false);
        var existing = (await _crls.ListAsync(issuer.Issuer.Id, cancellationToken).ConfigureAwait(false)).ToDictionary(c => (c.Shard, c.IsDelta));
        var now = _time.GetUtcNow();
        var published = new List<CrlInfo>();
        foreach (var shard in Scopes(watermarks))
        {
            var watermark = Watermark(watermarks, shard);
            existing.TryGetValue((shard, false), out var full);
            var fullBuilt = false;
            if (force || FullDue(full, watermark, now))
            {
                full = await BuildAsync(issuer, group, shard, null, watermark, cancellationToken).ConfigureAwait(false);
                published.Add(full);
                fullBuilt = true;
            }

            if (_options.Crl.DeltaEnabled)
            {
                existing.TryGetValue((shard, true), out var delta);
                if (force || fullBuilt || DeltaDue(delta, full!, watermark, now))
                {
                    published.Add(await BuildAsync(issuer, group, shard, full, watermark, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        return published;
    }

    private bool FullDue(CrlInfo? full, long watermark, DateTimeOffset now) =>
        full is null
        || now - full.ThisUpdate >= _options.Crl.RebuildInterval
        || full.NextUpdate <= now
        || (_options.Crl.RebuildOnRevocation == CrlRebuildMode.Full && watermark > full.MaxSequence);

    private bool DeltaDue(CrlInfo? delta, CrlInfo full, long watermark, DateTimeOffset now) =>
        delta is null
        || delta.BaseNumber != full.Number
        || watermark > delta.MaxSequence
        || now - delta.ThisUpdate >= _options.Crl.DeltaRebuildInterval
        || delta.NextUpdate <= now;

    private static long Watermark(IEnumerable<ShardWatermark> watermarks, int? shard) =>
        watermarks.Where(w => shard is null || w.Shard == shard).Select(w => w.MaxSequence).DefaultIfEmpty(0).Max();

    private async Task<CrlInfo> BuildAsync(IssuerContext issuer, IReadOnlyList<string> group, int? shard, CrlInfo? baseCrl, long watermark, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var isDelta = baseCrl is not null;
        var number = await _crls.NextNumberAsync(issuer.Issuer.Id, cancellationToken).ConfigureAwait(false);
        var cdp = issuer.Issuer.Urls.CrlDistributionPoints;
        var scopeUrls = shard is { } n ? CrlShards.ShardUrls(cdp, n) : cdp;
        var template = new CrlTemplate
        {
            IssuerName = issuer.Certificate.SubjectName.RawData,
            AuthorityKeyIdentifier = issuer.KeyIdentifier,
            Number = number,
            BaseNumber = baseCrl?.Number,
            ThisUpdate = now,
            NextUpdate = now + (isDelta ? _options.Crl.DeltaValidity : _options.Crl.Validity),
            FreshestCrlUrls = !isDelta && _options.Crl.DeltaEnabled ? scopeUrls.Select(CrlShards.DeltaUrl).OfType<string>().ToList() : [],
            DistributionPointUrls = shard is null ? [] : scopeUrls,
        };

        var algorithm = issuer.SignatureAlgorithm!.Value;
        var writer = new CrlWriter(template, algorithm, (int)Math.Min(watermark - (baseCrl?.MaxSequence ?? 0), 1_000_000));
        var query = new RevocationQuery
        {
            IssuerIds = group,
            Shard = shard,
            AfterSequence = baseCrl?.MaxSequence ?? 0,
            UpToSequence = watermark,
            NotAfterFrom = now - _options.Crl.ExpiredEntryGrace,
        };
        await foreach (var entry in _revocations.StreamAsync(query, cancellationToken).ConfigureAwait(false))
        {
            writer.Add(entry);
        }

        var tbs = writer.Finish();
        var signer = await _keys.OpenAsync(issuer.Key!.KeyReference, cancellationToken).ConfigureAwait(false);
        var der = await X509Signing.SignAsync(tbs, signer, algorithm, cancellationToken).ConfigureAwait(false);
        var info = new CrlInfo
        {
            IssuerId = issuer.Issuer.Id,
            Shard = shard,
            IsDelta = isDelta,
            Number = number,
            BaseNumber = baseCrl?.Number,
            ThisUpdate = template.ThisUpdate,
            NextUpdate = template.NextUpdate,
            MaxSequence = Math.Max(watermark, baseCrl?.MaxSequence ?? 0),
            EntryCount = writer.Count,
        };
        await _crls.PublishAsync(new PublishedCrl(info, der), cancellationToken).ConfigureAwait(false);
        return info;
    }
}

/// <summary>What one publishing pass did.</summary>
public sealed class CrlPublishReport
{
    public List<CrlInfo> Published { get; } = [];

    public List<CrlPublishFailure> Failures { get; } = [];
}

/// <summary>An issuer whose CRLs could not be built in a pass (e.g. its HSM was unreachable).</summary>
public sealed record CrlPublishFailure(string IssuerId, Exception Error);
