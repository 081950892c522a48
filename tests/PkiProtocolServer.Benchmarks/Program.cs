using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PkiProtocolServer.Benchmarks;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Keys.Software;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Keys.Pkcs11;

// CSR -> certificate issuance throughput through the production path, beside `openssl speed ecdsap256`.
// Not a test: figures from a shared machine are written to docs/, never asserted.
var options = BenchmarkOptions.Parse(args);
var log = Console.Out;
var ct = CancellationToken.None;
var workDirectory = Directory.CreateTempSubdirectory("pki-bench-").FullName;
log.WriteLine($"work directory: {workDirectory}");

try
{
    var softHsm = options.SoftHsm ? new SoftHsm(Path.Combine(workDirectory, "softhsm")) : null;
    var report = new Report { Options = options, StartedAt = DateTimeOffset.UtcNow };

    log.WriteLine($"openssl speed -seconds {options.OpensslSeconds} ecdsap256 (before)...");
    report.OpensslBefore = OpensslSpeed.Run(options.OpensslSeconds);
    log.WriteLine($"  {report.OpensslBefore.Line}");

    log.WriteLine($"generating {options.Csrs} distinct P-256 CSRs...");
    var csrs = GenerateCsrs(options.Csrs);
    var harness = new Harness(options.WarmupRounds, TimeSpan.FromSeconds(options.WarmupSeconds), options.Rounds, log);
    // 1 caller, one per core, and many (a server under load): group commit in the store only helps the latter two.
    var parallelisms = new[] { 1, Environment.ProcessorCount, Math.Max(8, 4 * Environment.ProcessorCount) }.Distinct().ToArray();
    var software = new SoftwareKeyCustody(new SoftwareKeyCustodyOptions
    {
        Directory = Path.Combine(workDirectory, "keys"),
        Passphrase = "benchmark-passphrase",
        Iterations = 1000, // only opening speed; signing does not depend on it
    });

    // (a) software custody, end to end.
    log.WriteLine("software P-256 issuing CA:");
    using (var ca = await IssuingCa.CreateAsync(Path.Combine(workDirectory, "software"), [software], "software"))
    {
        long issued = 0;
        foreach (var p in parallelisms)
        {
            var m = await harness.RunAsync("end to end (parse+verify CSR, issue, record)", p, csrs.Length, async i => await IssueAsync(ca, csrs[i]));
            report.EndToEnd.Add(("software", m));
            issued += m.TotalOperations;
        }

        CheckRecorded(ca, 1 + issued);

        // (c) breakdown on the same CA.
        if (options.Breakdown)
        {
            await BreakdownAsync(ca);
        }
    }

    async Task BreakdownAsync(IssuingCa ca)
    {
        log.WriteLine("breakdown (software CA):");
        var parsed = csrs.Select(c => CertificationRequest.Parse(c)).ToArray();
        var sample = await ca.Issuance.SignAsync(IssuingCa.RoleName, parsed[0], null, "benchmark", ct);
        var tbs = new System.Formats.Asn1.AsnReader(sample.Certificate.CertificateDer, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence().ReadEncodedValue().ToArray();
        var auditEvent = new AuditEvent { Time = DateTimeOffset.UtcNow, Actor = "benchmark", Operation = "certificate.issue", Outcome = "success", IssuerId = ca.IntermediateId, Role = IssuingCa.RoleName, Serial = sample.Certificate.Serial };
        report.Breakdown.Add(await harness.RunAsync("CSR parse + signature verify", 1, csrs.Length, i =>
        {
            _ = CertificationRequest.Parse(csrs[i]);
            return ValueTask.CompletedTask;
        }));
        report.Breakdown.Add(await harness.RunAsync("certificate signature only (software)", 1, csrs.Length, async _ =>
            await ca.IntermediateSigner.SignAsync(tbs, SignatureAlgorithm.EcdsaSha256, ct)));
        report.Breakdown.Add(await harness.RunAsync("store insert only (SQLite, synchronous=FULL)", 1, csrs.Length, _ =>
            new ValueTask(ca.Stores.Certificates.AddAsync(sample.Certificate with { Serial = SerialNumbers.ToHex(SerialNumbers.New()) }, ct))));
        report.Breakdown.Add(await harness.RunAsync("store insert only (SQLite, synchronous=FULL)", Environment.ProcessorCount, csrs.Length, _ =>
            new ValueTask(ca.Stores.Certificates.AddAsync(sample.Certificate with { Serial = SerialNumbers.ToHex(SerialNumbers.New()) }, ct))));
        report.Breakdown.Add(await harness.RunAsync("role read (per issuance)", 1, csrs.Length, async _ =>
            await ca.Stores.Roles.GetAsync(IssuingCa.RoleName, ct)));
        report.Breakdown.Add(await harness.RunAsync("audit line only", 1, csrs.Length, _ =>
            ca.Audit.WriteAsync(auditEvent with { Time = DateTimeOffset.UtcNow }, ct)));
        report.Breakdown.Add(await harness.RunAsync("IssueAsync from a parsed CSR (no parse)", 1, csrs.Length, async i =>
            await ca.Issuance.SignAsync(IssuingCa.RoleName, parsed[i], null, "benchmark", ct)));
        report.Breakdown.Add(await harness.RunAsync("IssueAsync from a parsed CSR, role no_store (no insert)", 1, csrs.Length, async i =>
            await ca.Issuance.SignAsync(IssuingCa.NoStoreRoleName, parsed[i], null, "benchmark", ct)));
        Verify(sample.Certificate.CertificateDer, ca.IntermediateSigner);
    }

    // (b) the intermediate's key in SoftHSM.
    if (softHsm is not null)
    {
        log.WriteLine("SoftHSM P-256 issuing CA:");
        using var pkcs11 = new Pkcs11KeyCustody(SoftHsm.Options);
        using var ca = await IssuingCa.CreateAsync(Path.Combine(workDirectory, "softhsm-ca"), [software, pkcs11], "pkcs11");
        long issued = 0;
        foreach (var p in parallelisms)
        {
            var m = await harness.RunAsync("end to end (parse+verify CSR, issue, record)", p, csrs.Length, async i => await IssueAsync(ca, csrs[i]));
            report.EndToEnd.Add(("SoftHSM (PKCS#11)", m));
            issued += m.TotalOperations;
        }

        CheckRecorded(ca, 1 + issued);
        var sample = await IssueAsync(ca, csrs[0]);
        var tbs = new System.Formats.Asn1.AsnReader(sample, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence().ReadEncodedValue().ToArray();
        foreach (var p in parallelisms.Take(2))
        {
            report.Breakdown.Add(await harness.RunAsync("certificate signature only (SoftHSM)", p, csrs.Length, async _ =>
                await ca.IntermediateSigner.SignAsync(tbs, SignatureAlgorithm.EcdsaSha256, ct)));
        }

        Verify(sample, ca.IntermediateSigner);
    }

    log.WriteLine($"openssl speed -seconds {options.OpensslSeconds} ecdsap256 (after)...");
    report.OpensslAfter = OpensslSpeed.Run(options.OpensslSeconds);
    log.WriteLine($"  {report.OpensslAfter.Line}");

    var markdown = report.ToMarkdown();
    log.WriteLine();
    log.WriteLine(markdown);
    if (options.Output is not null and not "-")
    {
        Report.WriteSection(options.Output, markdown);
        log.WriteLine($"written to {options.Output}");
    }

    return 0;
}
finally
{
    if (!options.Keep)
    {
        Directory.Delete(workDirectory, recursive: true);
    }
}

static async ValueTask<byte[]> IssueAsync(IssuingCa ca, byte[] csrPem)
{
    var csr = CertificationRequest.Parse(csrPem);
    var result = await ca.Issuance.SignAsync(IssuingCa.RoleName, csr, null, "benchmark", CancellationToken.None).ConfigureAwait(false);
    return result.Certificate.CertificateDer;
}

static byte[][] GenerateCsrs(int count)
{
    var csrs = new byte[count][];
    Parallel.For(0, count, i =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = $"host-{i}.{IssuingCa.Domain}";
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName(name);
        request.CertificateExtensions.Add(sans.Build());
        csrs[i] = Encoding.ASCII.GetBytes(request.CreateSigningRequestPem());
    });
    return csrs;
}

static void CheckRecorded(IssuingCa ca, long expected)
{
    var recorded = ca.RecordedCertificates();
    if (recorded != expected)
    {
        throw new InvalidOperationException($"{recorded} certificates recorded, expected {expected}: the benchmark did not take the durable path");
    }

    if (ca.Audit.Lines < expected)
    {
        throw new InvalidOperationException($"{ca.Audit.Lines} audit lines for {expected} certificates: the benchmark did not take the audited path");
    }
}

static void Verify(byte[] certificateDer, ISigner issuer)
{
    var reader = new System.Formats.Asn1.AsnReader(certificateDer, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
    var tbs = reader.ReadEncodedValue();
    reader.ReadEncodedValue();
    var signature = reader.ReadBitString(out _);
    if (!PublicKeys.Verify(issuer.SubjectPublicKeyInfo.Span, SignatureAlgorithm.EcdsaSha256, tbs.Span, signature))
    {
        throw new InvalidOperationException("an issued certificate does not verify with the issuing CA's key");
    }
}

internal sealed record BenchmarkOptions
{
    public int Csrs { get; init; } = 4000;

    public int Rounds { get; init; } = 5;

    public int WarmupRounds { get; init; } = 1;

    public double WarmupSeconds { get; init; } = 2;

    public int OpensslSeconds { get; init; } = 3;

    public bool SoftHsm { get; init; } = true;

    public bool Breakdown { get; init; } = true;

    public bool Keep { get; init; }

    public string? Output { get; init; }

    public string? InvokedAs { get; init; }

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.Parse(Value(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--csrs" => options with { Csrs = Number() },
                "--rounds" => options with { Rounds = Number() },
                "--warmup" => options with { WarmupRounds = Number() },
                "--warmup-seconds" => options with { WarmupSeconds = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--openssl-seconds" => options with { OpensslSeconds = Number() },
                "--no-softhsm" => options with { SoftHsm = false },
                "--no-breakdown" => options with { Breakdown = false },
                "--keep" => options with { Keep = true },
                "--output" => options with { Output = Value() },
                "--invoked-as" => options with { InvokedAs = Value() },
                _ => throw new ArgumentException(
                    $"unknown argument '{args[i]}'; use --csrs N --rounds N --warmup N --warmup-seconds S --openssl-seconds N --no-softhsm --no-breakdown --keep --output docs/performance.md"),
            };
        }

        return options;
    }
}
