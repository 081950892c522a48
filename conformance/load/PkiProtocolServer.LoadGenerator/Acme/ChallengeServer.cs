using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PkiProtocolServer.LoadGenerator.Acme;

/// <summary>
/// The http-01 responder (RFC 8555 8.3): Kestrel on 127.0.0.1:PORT answering
/// <c>GET /.well-known/acme-challenge/TOKEN</c> with the key authorization from an in-memory map, whatever the Host.
/// </summary>
public sealed class ChallengeServer : IAsyncDisposable
{
    private const string Prefix = "/.well-known/acme-challenge/";
    private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private long _served;

    public ChallengeServer(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        _app = builder.Build();
        _app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (path.StartsWith(Prefix, StringComparison.Ordinal) && _answers.TryGetValue(path[Prefix.Length..], out var answer))
            {
                Interlocked.Increment(ref _served);
                context.Response.ContentType = "application/octet-stream";
                await context.Response.WriteAsync(answer);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
    }

    /// <summary>How many challenge requests were answered (validations, including any from several perspectives).</summary>
    public long Served => Interlocked.Read(ref _served);

    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    public void Add(string token, string keyAuthorization) => _answers[token] = keyAuthorization;

    public void Remove(string token) => _answers.TryRemove(token, out _);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
