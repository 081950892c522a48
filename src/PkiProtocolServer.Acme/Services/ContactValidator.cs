using System.Text.Json;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// Account contacts (RFC 8555 7.3): <c>mailto:</c> URLs of one plain address each. Another scheme is
/// unsupportedContact; a mailto that is not one address (hfields, several addresses, bad syntax) is invalidContact.
/// </summary>
public static class ContactValidator
{
    public const int MaxContacts = 10;
    private const int MaxLength = 320;

    /// <summary>The contacts of a payload's <c>contact</c> member; null when the member is absent.</summary>
    public static IReadOnlyList<string>? Read(JsonElement payload)
    {
        if (!payload.TryGetProperty("contact", out var contact) || contact.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (contact.ValueKind != JsonValueKind.Array)
        {
            throw AcmeException.Malformed("\"contact\" must be an array of URLs");
        }

        var result = new List<string>();
        foreach (var item in contact.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new AcmeException(AcmeErrorType.InvalidContact, "every contact must be a string URL");
            }

            result.Add(Validate(item.GetString()!));
        }

        if (result.Count > MaxContacts)
        {
            throw new AcmeException(AcmeErrorType.InvalidContact, $"an account has at most {MaxContacts} contacts");
        }

        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    public static string Validate(string contact)
    {
        var colon = contact.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new AcmeException(AcmeErrorType.InvalidContact, $"contact '{contact}' is not a URL");
        }

        var scheme = contact[..colon];
        if (!scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase))
        {
            throw new AcmeException(AcmeErrorType.UnsupportedContact, $"contact scheme '{scheme}' is not supported; use mailto:");
        }

        var address = contact[(colon + 1)..];
        if (contact.Length > MaxLength || address.Length == 0 || address.IndexOfAny(['?', ',', '%', ' ', '<', '>', '"']) >= 0)
        {
            throw new AcmeException(AcmeErrorType.InvalidContact, $"contact '{contact}' must be one plain email address, without headers or escapes");
        }

        var at = address.LastIndexOf('@');
        var domain = at > 0 ? address[(at + 1)..].ToLowerInvariant() : string.Empty;
        if (at <= 0 || address.IndexOf('@') != at || !Hostnames.IsValid(domain) || Hostnames.IsWildcard(domain) || !domain.Contains('.', StringComparison.Ordinal))
        {
            throw new AcmeException(AcmeErrorType.InvalidContact, $"contact '{contact}' is not a valid email address");
        }

        return "mailto:" + address;
    }
}
