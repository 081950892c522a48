using System.Net.Sockets;
using System.Text;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>
/// A tiny HTTP server on a free local port standing in for a client's http-01 responder. Tests set what each token
/// path answers: a body, a status, a redirect, or an oversized body.
/// </summary>
public sealed class ChallengeResponder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ChallengeResponder()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Path → (status, headers, body). Unknown paths answer 404.</summary>
    public Dictionary<string, (int Status, string? Location, string Body)> Answers { get; } = new(StringComparer.Ordinal);

    public int Requests { get; private set; }

    public void Serve(string token, string keyAuthorization) =>
        Answers["/.well-known/acme-challenge/" + token] = (200, null, keyAuthorization);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            var requestLine = await reader.ReadLineAsync() ?? string.Empty;
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
            {
            }

            Requests++;
            var path = requestLine.Split(' ').Skip(1).FirstOrDefault() ?? "/";
            var (status, location, body) = Answers.TryGetValue(path, out var answer) ? answer : (404, null, "not here");
            var bytes = Encoding.UTF8.GetBytes(body);
            var head = new StringBuilder($"HTTP/1.1 {status} X\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\nContent-Type: text/plain\r\n");
            if (location is not null)
            {
                head.Append($"Location: {location}\r\n");
            }

            head.Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
            await stream.WriteAsync(bytes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
