using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>
/// http-01 (RFC 8555 8.3): GET <c>http://{identifier}:{Pki:Acme:HttpChallengePort}/.well-known/acme-challenge/{token}</c>,
/// names resolved through the validation resolver; a 200 whose body, trailing whitespace ignored, is the key
/// authorization. Redirects are followed up to 10 times, only to http or https on the standard or configured challenge
/// ports (certificates of https targets are not checked: the key authorization is what proves control). The body is
/// read up to 8 KiB.
/// </summary>
public sealed class Http01Validator : IChallengeValidator, IDisposable
{
    public const int MaxRedirects = 10;
    public const int MaxBodyBytes = 8 * 1024;

    private readonly HttpClient _client;
    private readonly AcmeOptions _options;

    public Http01Validator(IAcmeDnsResolver resolver, IOptions<AcmeOptions> options)
    {
        _options = options.Value;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = async (context, cancellationToken) =>
                new NetworkStream(await AddressConnector.ConnectAsync(resolver, context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false), ownsSocket: true),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("PkiProtocolServer-ACME-validator/1.0");
    }

    public string Type => AcmeChallenge.Http01;

    public async Task ValidateAsync(AcmeIdentifier identifier, AcmeChallenge challenge, string keyAuthorization, CancellationToken cancellationToken)
    {
        var host = identifier.Type == AcmeIdentifier.Ip && identifier.Value.Contains(':', StringComparison.Ordinal) ? $"[{identifier.Value}]" : identifier.Value;
        var url = new Uri($"http://{host}:{_options.HttpChallengePort}/.well-known/acme-challenge/{challenge.Token}");
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.ConnectionClose = true;
            request.Headers.Accept.ParseAdd("*/*");
            using var response = await SendAsync(request, url, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308)
            {
                if (redirects >= MaxRedirects)
                {
                    throw new ChallengeFailedException(AcmeErrorType.Connection, $"{url} redirected more than {MaxRedirects} times");
                }

                url = NextUrl(url, response.Headers.Location);
                continue;
            }

            if (status != 200)
            {
                throw new ChallengeFailedException(AcmeErrorType.Unauthorized, $"{url} answered HTTP {status}, not 200 with the key authorization");
            }

            var body = await ReadBodyAsync(response, url, cancellationToken).ConfigureAwait(false);
            var trimmed = body.TrimEnd(' ', '\t', '\r', '\n');
            if (!string.Equals(trimmed, keyAuthorization, StringComparison.Ordinal))
            {
                throw new ChallengeFailedException(AcmeErrorType.IncorrectResponse, $"{url} answered \"{Shorten(trimmed)}\", not the key authorization \"{keyAuthorization}\"");
            }

            return;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is ChallengeFailedException failed)
        {
            throw failed;
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            throw new ChallengeFailedException(AcmeErrorType.Tls, $"the TLS handshake with {url.Authority} failed: {e.InnerException!.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new ChallengeFailedException(AcmeErrorType.Connection, $"fetching {url} failed: {e.Message}", e);
        }
    }

    private Uri NextUrl(Uri current, Uri? location)
    {
        if (location is null)
        {
            throw new ChallengeFailedException(AcmeErrorType.Connection, $"{current} redirected without a Location");
        }

        var next = location.IsAbsoluteUri ? location : new Uri(current, location);
        var allowed = next.Scheme switch
        {
            "http" => next.Port == 80 || next.Port == _options.HttpChallengePort,
            "https" => next.Port == 443 || next.Port == _options.TlsAlpnChallengePort,
            _ => false,
        };
        if (!allowed)
        {
            throw new ChallengeFailedException(AcmeErrorType.Connection, $"{current} redirected to {next}: only http and https on ports 80/443 (or the configured challenge ports) are followed");
        }

        if (next.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            throw new ChallengeFailedException(AcmeErrorType.Connection, $"{current} redirected to a URL without a host name");
        }

        return next;
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxBodyBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        if (total > MaxBodyBytes)
        {
            throw new ChallengeFailedException(AcmeErrorType.IncorrectResponse, $"{url} answered with more than {MaxBodyBytes} bytes; a key authorization is far shorter");
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static string Shorten(string text)
    {
        var printable = new string(text.Select(c => char.IsControl(c) ? '?' : c).Take(100).ToArray());
        return text.Length > 100 ? printable + "..." : printable;
    }

    public void Dispose() => _client.Dispose();
}
