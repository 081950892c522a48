using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Authentication.ExtendedProtection;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Est.Configuration;

namespace PkiProtocolServer.Est.ChannelBinding;

/// <summary>
/// The channel binding of the TLS connection a request arrived on, for RFC 7030 3.5 proof that a CSR was made inside
/// this session: tls-unique (RFC 5929) on TLS 1.2, through .NET's own API; tls-exporter (RFC 9266) on TLS 1.3, through
/// <see cref="OpenSslTlsExporter"/> once its start-up self-test has passed. tls-unique is not defined for TLS 1.3
/// (RFC 8446 C.5), so it is never used there.
/// </summary>
public sealed partial class TlsChannelBindings
{
    private static readonly object CacheKey = new();

    private readonly EstOptions _options;
    private readonly ILogger<TlsChannelBindings> _logger;
    private string? _exporterProblem = "not checked yet";

    public TlsChannelBindings(IOptions<EstOptions> options, ILogger<TlsChannelBindings> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Why tls-exporter is not offered, or null when it is.</summary>
    public string? ExporterUnavailableReason => _exporterProblem;

    /// <summary>Runs the tls-exporter self-test once, at start (unless <c>Pki:Est:TlsExporter</c> is <c>off</c>).</summary>
    public async Task InitializeAsync()
    {
        _exporterProblem = string.Equals(_options.TlsExporter, "off", StringComparison.OrdinalIgnoreCase)
            ? "turned off by Pki:Est:TlsExporter"
            : await OpenSslTlsExporter.SelfTest().ConfigureAwait(false);
        if (_exporterProblem is null)
        {
            LogExporterAvailable(_logger);
        }
        else
        {
            LogExporterUnavailable(_logger, _exporterProblem);
        }
    }

    /// <summary>The binding of the request's connection, or null with <paramref name="unavailable"/> saying why.</summary>
    public ChannelBindingValue? Read(HttpContext context, out string? unavailable)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(CacheKey, out var cached) && cached is ChannelBindingValue known)
        {
            unavailable = null;
            return known;
        }

        var stream = context.Features.Get<ISslStreamFeature>()?.SslStream;
        if (stream is null)
        {
            unavailable = "the request did not arrive over TLS";
            return null;
        }

        var value = stream.SslProtocol switch
        {
            SslProtocols.Tls12 => ReadTlsUnique(stream, out unavailable),
            SslProtocols.Tls13 => ReadTlsExporter(stream, out unavailable),
            var other => Unsupported(other, out unavailable),
        };
        if (value is not null && items is not null)
        {
            // One value per connection: computed once, so OpenSSL is asked at most once per TLS session.
            items[CacheKey] = value;
        }

        return value;
    }

    private static ChannelBindingValue? ReadTlsUnique(SslStream stream, out string? unavailable)
    {
        using var binding = stream.TransportContext?.GetChannelBinding(ChannelBindingKind.Unique);
        var value = binding is null ? null : ApplicationData(binding);
        unavailable = value is null ? "the TLS stack did not report tls-unique for this TLS 1.2 connection" : null;
        return value is null ? null : new ChannelBindingValue(ChannelBindingValue.TlsUnique, value);
    }

    private ChannelBindingValue? ReadTlsExporter(SslStream stream, out string? unavailable)
    {
        if (_exporterProblem is not null)
        {
            unavailable = "this is a TLS 1.3 connection, where channel binding needs tls-exporter (RFC 9266), and it is not available on this server ("
                + _exporterProblem + "); connect with TLS 1.2 to bind with tls-unique";
            return null;
        }

        var value = OpenSslTlsExporter.Export(stream);
        unavailable = value is null ? "the TLS stack did not export keying material for this TLS 1.3 connection" : null;
        return value is null ? null : new ChannelBindingValue(ChannelBindingValue.TlsExporter, value);
    }

    private static ChannelBindingValue? Unsupported(SslProtocols protocol, out string? unavailable)
    {
        unavailable = $"channel binding is offered on TLS 1.2 and TLS 1.3 only, not {protocol}";
        return null;
    }

    /// <summary>
    /// The binding data of a SEC_CHANNEL_BINDINGS block (what .NET hands out on every platform): eight 32-bit fields,
    /// the last two the application data's length and offset. The data is "tls-unique:" (RFC 5929 7.1 prefix) then the
    /// Finished message; RFC 7030 3.5 binds to the Finished message alone.
    /// </summary>
    internal static byte[]? ApplicationData(System.Security.Authentication.ExtendedProtection.ChannelBinding binding)
    {
        const int HeaderSize = 32;
        var size = binding.Size;
        if (size < HeaderSize)
        {
            return null;
        }

        var block = new byte[size];
        Marshal.Copy(binding.DangerousGetHandle(), block, 0, size);
        var length = BitConverter.ToInt32(block, 24);
        var offset = BitConverter.ToInt32(block, 28);
        if (length <= 0 || offset < HeaderSize || offset + length > size)
        {
            return null;
        }

        var data = block.AsSpan(offset, length);
        var prefix = "tls-unique:"u8;
        return (data.StartsWith(prefix) ? data[prefix.Length..] : data).ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "EST channel binding: tls-unique on TLS 1.2 and tls-exporter (RFC 9266) on TLS 1.3 are available")]
    private static partial void LogExporterAvailable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "EST channel binding: tls-unique on TLS 1.2 only; tls-exporter for TLS 1.3 is unavailable: {Reason}")]
    private static partial void LogExporterUnavailable(ILogger logger, string reason);
}
