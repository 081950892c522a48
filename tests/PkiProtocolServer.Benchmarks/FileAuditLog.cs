using System.Text.Json;
using System.Text.Json.Serialization;
using PkiProtocolServer.Core.Audit;

namespace PkiProtocolServer.Benchmarks;

/// <summary>
/// The audit cost the host pays: one JSON object per line appended to a file and flushed to the operating
/// system (not fsynced) before the operation returns, under one lock. Written here because the benchmark
/// must not reference the host.
/// </summary>
internal sealed class FileAuditLog : IAuditLog, IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly FileStream _stream;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _lines;

    public FileAuditLog(string path)
    {
        _stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite });
    }

    public long Lines => Interlocked.Read(ref _lines);

    public async ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(auditEvent, Json);
        await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _stream.Write(line);
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
            _lines++;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _lock.Dispose();
    }
}
