using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>
/// DNS for validation over DnsClient: the configured <c>host:port</c> servers (no cache, so a record the client has
/// just published is seen), or, with none configured, the system's resolver (hosts file included) for addresses
/// and the system's name servers for TXT.
/// </summary>
public sealed class AcmeDnsResolver : IAcmeDnsResolver
{
    private readonly LookupClient _client;
    private readonly bool _configured;

    public AcmeDnsResolver(IOptions<AcmeOptions> options)
    {
        var servers = options.Value.DnsResolvers.Where(s => !string.IsNullOrWhiteSpace(s)).Select(ParseEndpoint).ToList();
        _configured = servers.Count > 0;
        var lookup = _configured ? new LookupClientOptions(servers.ToArray()) : new LookupClientOptions();
        lookup.UseCache = false;
        lookup.Timeout = TimeSpan.FromSeconds(3);
        lookup.Retries = 1;
        lookup.ThrowDnsErrors = false;
        lookup.UseTcpFallback = true;
        lookup.ContinueOnDnsError = false;
        _client = new LookupClient(lookup);
    }

    public async Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string name, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(name, out var literal))
        {
            return [literal];
        }

        if (!_configured)
        {
            try
            {
                return await Dns.GetHostAddressesAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new ChallengeFailedException(AcmeErrorType.Dns, $"no address for '{name}': {e.Message}", e);
            }
        }

        var a = await QueryAsync(name, QueryType.A, cancellationToken).ConfigureAwait(false);
        var aaaa = await QueryAsync(name, QueryType.AAAA, cancellationToken).ConfigureAwait(false);
        var addresses = a.Answers.OfType<ARecord>().Select(r => r.Address)
            .Concat(aaaa.Answers.OfType<AaaaRecord>().Select(r => r.Address))
            .ToList();
        if (addresses.Count == 0)
        {
            throw new ChallengeFailedException(AcmeErrorType.Dns, $"no A or AAAA record for '{name}' ({Describe(a)})");
        }

        return addresses;
    }

    public async Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
    {
        var response = await QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new ChallengeFailedException(AcmeErrorType.Dns, $"the TXT lookup of '{name}' failed: {Describe(response)}");
        }

        return response.Answers.OfType<TxtRecord>().Select(r => string.Concat(r.Text)).ToList();
    }

    public async Task<IReadOnlyList<CaaRecordData>> ResolveCaaAsync(string name, CancellationToken cancellationToken)
    {
        var response = await QueryAsync(name, QueryType.CAA, cancellationToken).ConfigureAwait(false);
        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new ChallengeFailedException(AcmeErrorType.Dns, $"the CAA lookup of '{name}' failed: {Describe(response)}");
        }

        return response.Answers.OfType<CaaRecord>().Select(r => new CaaRecordData(r.Flags, r.Tag, r.Value)).ToList();
    }

    private async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException e)
        {
            throw new ChallengeFailedException(AcmeErrorType.Dns, $"the {type} lookup of '{name}' failed: {e.Message}", e);
        }
    }

    private static string Describe(IDnsQueryResponse response) =>
        response.HasError ? response.ErrorMessage : response.Header.ResponseCode.ToString();

    /// <summary><c>host:port</c>, <c>host</c> (port 53), or <c>[v6]:port</c>.</summary>
    public static IPEndPoint ParseEndpoint(string text)
    {
        text = text.Trim();
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            return endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint;
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            var addresses = Dns.GetHostAddresses(text[..colon]);
            return new IPEndPoint(addresses.First(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6), port);
        }

        throw new OptionsValidationException(AcmeOptions.Section, typeof(AcmeOptions), [$"Pki:Acme:DnsResolvers: '{text}' is not host:port"]);
    }
}
