using System.Globalization;
using PkiProtocolServer.LoadGenerator;
using PkiProtocolServer.LoadGenerator.Acme;
using PkiProtocolServer.LoadGenerator.Est;

// One subcommand per protocol; every scenario shares the runner and the report.
const string Usage = """
    usage: PkiProtocolServer.LoadGenerator <mode> [options]
      est   EST simpleenroll over mutual TLS
            --url https://localhost:8443  --cacert data/root-ca.pem  --password-file data/est-password (or --password)
            [--label NAME] [--user est] [--key ec|rsa] [--csr-pool 512]
      acme  full ACME orders (newOrder, http-01 answered by this process, finalize, download) against any ACME server
            --directory https://localhost:8443/acme/directory  --cacert PEM (or --insecure true)  --http01-port PORT
            [--accounts N (default: one per worker)] [--poll 5ms (waits min(Retry-After, poll))] [--order-timeout 60s]
            [--key-pool 256]
    common: [--concurrency 16] [--warmup 5s] [--duration 30s] [--drain 10s] [--server-pid PID] [--extra-pid PID --extra-name redis] [--json FILE]
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var options = new Arguments(args.Skip(1));
    await using IScenario scenario = args[0] switch
    {
        "est" => new EstScenario(options),
        "acme" => new AcmeScenario(options),
        _ => throw new ArgumentException($"unknown mode '{args[0]}'"),
    };
    var concurrency = options.Int("concurrency", 16);
    var runner = new LoadRunner(scenario, concurrency, options.Duration("warmup", TimeSpan.FromSeconds(5)), options.Duration("duration", TimeSpan.FromSeconds(30)), options.Duration("drain", TimeSpan.FromSeconds(10)));
    var processes = new List<ServerCpu>();
    if (options.Text("server-pid") is { } pid)
    {
        processes.Add(new ServerCpu(int.Parse(pid, CultureInfo.InvariantCulture)));
    }

    // A process the server depends on (redis-server), reported beside the server and summed with it.
    if (options.Text("extra-pid") is { } extra)
    {
        processes.Add(new ServerCpu(int.Parse(extra, CultureInfo.InvariantCulture), options.Text("extra-name", "extra")));
    }

    var json = options.Text("json");
    options.EnsureAllRead();

    var result = await runner.RunAsync(processes, CancellationToken.None);
    Console.Write(result.ToText());
    if (json is not null)
    {
        await File.WriteAllTextAsync(json, result.ToJson());
    }

    return result.Failed == 0 && result.StillInFlightAfterDrain == 0 ? 0 : 1;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
