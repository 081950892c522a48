namespace PkiProtocolServer.Acme.Validation;

/// <summary>
/// Decides whether one relevant CAA RRset (RFC 8659 3) lets this CA issue: the <c>issue</c> properties for a name,
/// <c>issuewild</c> for a wildcard when it has any (else <c>issue</c>, RFC 8659 4.3), an unknown tag with the
/// critical flag refusing outright (4.1), and the RFC 8657 parameters <c>accounturi</c> and <c>validationmethods</c>
/// narrowing a property that names this CA. Pure: no DNS, so every rule is unit-testable.
/// </summary>
public static class CaaPolicy
{
    /// <summary>Tags this CA understands (RFC 8659 4, RFC 9495 issuemail, CA/B Forum contact tags): a critical one does not refuse.</summary>
    private static readonly HashSet<string> KnownTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "issue", "issuewild", "iodef", "issuemail", "issuevmc", "contactemail", "contactphone",
    };

    /// <summary>Null when issuance is allowed; otherwise why not, naming the record(s) that refused.</summary>
    /// <param name="records">The relevant RRset (non-empty) or empty when no name up the tree has CAA.</param>
    /// <param name="wildcard">The certificate will hold <c>*.</c> of the name.</param>
    /// <param name="issuerDomains">This CA's issuer domain names (the directory's <c>caaIdentities</c>).</param>
    /// <param name="accountUrl">The ACME account URL, for <c>accounturi</c>.</param>
    /// <param name="method">The challenge type that validated the name, for <c>validationmethods</c>.</param>
    public static string? Evaluate(IReadOnlyList<CaaRecordData> records, bool wildcard, IReadOnlyCollection<string> issuerDomains, string? accountUrl, string? method)
    {
        var unknownCritical = records.FirstOrDefault(r => r.Critical && !KnownTags.Contains(r.Tag));
        if (unknownCritical is not null)
        {
            return $"the record {unknownCritical} has the critical flag and a tag this CA does not understand (RFC 8659 4.1)";
        }

        var issueWild = records.Where(r => r.Tag.Equals("issuewild", StringComparison.OrdinalIgnoreCase)).ToList();
        var applicable = wildcard && issueWild.Count > 0
            ? issueWild
            : records.Where(r => r.Tag.Equals("issue", StringComparison.OrdinalIgnoreCase)).ToList();
        if (applicable.Count == 0)
        {
            return null; // 4.2 / 4.3: no issue (or issuewild) property restricts issuance
        }

        if (applicable.Any(r => Permits(r.Value, issuerDomains, accountUrl, method)))
        {
            return null;
        }

        return $"{(applicable.Count == 1 ? "the record" : "none of the records")} {string.Join(", ", applicable)} {(applicable.Count == 1 ? "does not authorize" : "authorizes")} this CA ({string.Join(", ", issuerDomains)})"
            + (accountUrl is null ? string.Empty : $" for account {accountUrl}")
            + (method is null ? string.Empty : $" with {method}");
    }

    /// <summary>
    /// One <c>issue</c>/<c>issuewild</c> value (RFC 8659 4.2 grammar): an issuer domain name of this CA and parameters
    /// this request satisfies. An empty or malformed value authorizes no one.
    /// </summary>
    public static bool Permits(string value, IReadOnlyCollection<string> issuerDomains, string? accountUrl, string? method)
    {
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        var domain = (semicolon < 0 ? value : value[..semicolon]).Trim(' ', '\t');
        if (domain.Length == 0 || !issuerDomains.Any(d => d.Equals(domain, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in semicolon < 0 ? [] : value[(semicolon + 1)..].Split(';'))
        {
            var text = part.Trim(' ', '\t');
            if (text.Length == 0)
            {
                continue;
            }

            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !parameters.TryAdd(text[..equals].Trim(' ', '\t'), text[(equals + 1)..].Trim(' ', '\t')))
            {
                return false; // malformed, or a parameter given twice (RFC 8657 3, 4: such a property is unsatisfiable)
            }
        }

        // RFC 8657 3: the property applies only to the account whose URL is given, compared exactly.
        if (parameters.TryGetValue("accounturi", out var accountUri) && !string.Equals(accountUri, accountUrl, StringComparison.Ordinal))
        {
            return false;
        }

        // RFC 8657 4: a comma-separated list of ACME challenge types (validation method labels).
        if (parameters.TryGetValue("validationmethods", out var methods)
            && (method is null || !methods.Split(',').Select(m => m.Trim()).Contains(method, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }

        return true; // other parameters are the issuer's own business (RFC 8659 4.2)
    }
}
