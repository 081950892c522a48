using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PkiProtocolServer.Acme.Testing;

/// <summary>Says loudly, at start, which test knobs of <see cref="AcmeTestingOptions"/> are on: a CA running with one must not go unnoticed.</summary>
public sealed partial class AcmeTestingAnnouncer : IHostedService
{
    private readonly AcmeTestingOptions _options;
    private readonly ILogger<AcmeTestingAnnouncer> _logger;

    public AcmeTestingAnnouncer(IOptions<AcmeOptions> options, ILogger<AcmeTestingAnnouncer> logger)
    {
        _options = options.Value.Testing;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var knob in _options.Active())
        {
            LogKnob(_logger, knob);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "ACME TEST KNOB ON (not for production): {Knob}")]
    private static partial void LogKnob(ILogger logger, string knob);
}
