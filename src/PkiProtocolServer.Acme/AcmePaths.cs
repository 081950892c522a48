namespace PkiProtocolServer.Acme;

/// <summary>
/// Every ACME route in one place (DESIGN.md URL map): the default directory under <c>/acme/</c>, any other
/// directory under <c>/acme/{directory}/</c>, the same resources below each.
/// </summary>
public static class AcmePaths
{
    /// <summary>Name of the directory served at <c>/acme/directory</c>.</summary>
    public const string DefaultDirectory = "default";

    public const string Root = "/acme";

    /// <summary>Route prefix of a named directory.</summary>
    public const string DirectoryRoot = "/acme/{directory}";

    public const string Directory = "/directory";
    public const string NewNonce = "/new-nonce";
    public const string NewAccount = "/new-account";
    public const string NewOrder = "/new-order";

    /// <summary>Pre-authorization (RFC 8555 7.4.1).</summary>
    public const string NewAuthz = "/new-authz";
    public const string RevokeCert = "/revoke-cert";
    public const string KeyChange = "/key-change";
    public const string Account = "/account/{id}";
    public const string AccountOrders = "/account/{id}/orders";
    public const string Order = "/order/{id}";
    public const string Finalize = "/order/{id}/finalize";
    public const string Authorization = "/authz/{id}";
    public const string Challenge = "/chall/{authzId}/{id}";
    public const string Certificate = "/cert/{id}";

    /// <summary>An alternate chain of a certificate (RFC 8555 7.4.2, <c>Link: rel="alternate"</c>), numbered from 1.</summary>
    public const string CertificateAlternate = "/cert/{id}/{index:int}";

    /// <summary>RFC 9773 renewalInfo: the directory's URL is this prefix; a certificate's is it followed by <c>/{certID}</c>.</summary>
    public const string RenewalInfoBase = "/renewal-info";

    public const string RenewalInfo = RenewalInfoBase + "/{certId}";

    /// <summary>First path segments below <c>/acme/</c> that name resources, so no directory may be called so.</summary>
    public static readonly IReadOnlySet<string> ReservedSegments = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        DefaultDirectory, "directory", "new-nonce", "new-account", "new-order", "new-authz", "revoke-cert", "key-change",
        "account", "order", "authz", "chall", "cert", "renewal-info",
    };

    /// <summary>The path prefix of a directory's resources: <c>/acme</c> or <c>/acme/{directory}</c>.</summary>
    public static string Base(string directory) => directory == DefaultDirectory ? Root : Root + "/" + directory;

    /// <summary>The directory a request path below <c>/acme</c> addresses, by its first segment; null when the path is not ACME.</summary>
    public static string? DirectoryOf(string value, Func<string, bool> isDirectory)
    {
        if (!value.StartsWith(Root + "/", StringComparison.Ordinal) && value != Root)
        {
            return null;
        }

        var rest = value.Length > Root.Length ? value[(Root.Length + 1)..] : string.Empty;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? rest : rest[..slash];
        return first.Length > 0 && !ReservedSegments.Contains(first) && isDirectory(first) ? first : DefaultDirectory;
    }
}
