using System.Text.Json;
using PkiProtocolServer.Core.Audit;

namespace PkiProtocolServer.Audit;

/// <summary>
/// Appends one JSON object per line to <c>{DataDirectory}/audit.log</c>. Each line reaches the operating
/// system before the operation is acknowledged (a process crash loses nothing); events carry identifiers
/// only, never keys, tokens or passwords.
/// </summary>
public sealed class JsonLinesAuditLog : IAuditLog, IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly FileStream _stream;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public JsonLinesAuditLog(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _stream = new FileStream(path, options);
    }

    public string Path { get; }

    public async ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(auditEvent, Json);
        await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _stream.Write(line);
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
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
