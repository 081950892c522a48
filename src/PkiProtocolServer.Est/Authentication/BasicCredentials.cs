using System.Text;

namespace PkiProtocolServer.Est.Authentication;

/// <summary>HTTP Basic credentials (RFC 7617) as EST carries them (RFC 7030 3.2.3).</summary>
public sealed record BasicCredentials(string User, string Password)
{
    /// <summary>
    /// Reads an Authorization header. Returns null when there is no Basic header; <paramref name="malformed"/> is true
    /// when one is there but cannot be read (it then counts as wrong credentials, never as none).
    /// </summary>
    public static BasicCredentials? Parse(string? header, out bool malformed)
    {
        malformed = false;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                return new BasicCredentials(decoded[..colon], decoded[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
            // falls through to malformed
        }

        malformed = true;
        return null;
    }
}
