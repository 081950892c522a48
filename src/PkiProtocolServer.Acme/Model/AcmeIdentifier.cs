using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Acme.Model;

/// <summary>An identifier of an order or authorization (RFC 8555 7.1.3): <c>dns</c>, or <c>ip</c> per RFC 8738.</summary>
/// <param name="Type"><c>dns</c> or <c>ip</c>.</param>
/// <param name="Value">A lower-case DNS name (with <c>*.</c> for a wildcard in orders), or an address in its canonical text form.</param>
public sealed record AcmeIdentifier(string Type, string Value)
{
    public const string Dns = "dns";
    public const string Ip = "ip";

    [JsonIgnore]
    public bool IsWildcard => Type == Dns && Value.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>The identifier an authorization covers: a wildcard's base domain (RFC 8555 7.1.3, <c>wildcard</c> field).</summary>
    public AcmeIdentifier WithoutWildcard() => IsWildcard ? this with { Value = Value[2..] } : this;

    /// <summary>The identifier of a name as the core reports it: an IP address or a DNS name.</summary>
    public static AcmeIdentifier ForName(string name) =>
        IPAddress.TryParse(name, out var address) && name.Contains(address.AddressFamily == AddressFamily.InterNetwork ? '.' : ':')
            ? new AcmeIdentifier(Ip, address.ToString())
            : new AcmeIdentifier(Dns, name.ToLowerInvariant());

    /// <summary>
    /// Checks and normalises a requested identifier: DNS names lower-cased and syntax-checked (a wildcard only as
    /// the whole left-most label), IP addresses in the forms RFC 8738 3 names. Throws malformed / unsupportedIdentifier
    /// / rejectedIdentifier for the client.
    /// </summary>
    public static AcmeIdentifier Parse(string? type, string? value)
    {
        if (string.IsNullOrEmpty(type) || value is null)
        {
            throw AcmeException.Malformed("an identifier needs a \"type\" and a \"value\"");
        }

        switch (type)
        {
            case Dns:
                var name = value.ToLowerInvariant();
                if (name.EndsWith('.'))
                {
                    throw Rejected(type, value, $"DNS identifier '{value}' must not end with a dot");
                }

                if (!Hostnames.IsValid(name) || name.IndexOf('*', 1) >= 0)
                {
                    throw Rejected(type, value, $"'{value}' is not a valid DNS name (a wildcard may only be the whole left-most label, \"*.\")");
                }

                if (IPAddress.TryParse(name, out _))
                {
                    throw Rejected(type, value, $"'{value}' is an IP address: request it with type \"ip\" (RFC 8738)");
                }

                return new AcmeIdentifier(Dns, name);
            case Ip:
                if (!IPAddress.TryParse(value, out var address) || !IsCanonicalText(value, address))
                {
                    throw Rejected(type, value, $"'{value}' is not an IPv4 address in dotted-decimal form or an IPv6 address (RFC 8738 3)");
                }

                return new AcmeIdentifier(Ip, address.ToString());
            default:
                throw new AcmeException(AcmeErrorType.UnsupportedIdentifier, $"identifier type '{type}' is not supported; this server issues for \"dns\" and \"ip\"");
        }
    }

    private static bool IsCanonicalText(string value, IPAddress address)
    {
        if (value.Contains('%', StringComparison.Ordinal))
        {
            return false; // a scope id has no place in a certificate
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? value.Contains(':', StringComparison.Ordinal)
            : value.Split('.').Length == 4 && value.Split('.').All(part => part.Length is > 0 and <= 3 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0'));
    }

    private static AcmeException Rejected(string type, string value, string detail) =>
        new(AcmeErrorType.RejectedIdentifier, detail, subproblems: [AcmeProblemTable.Problem(AcmeErrorType.RejectedIdentifier, detail, new AcmeIdentifier(type, value))]);
}
