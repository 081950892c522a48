namespace PkiProtocolServer.Core.Roles;

/// <summary>DNS name syntax checks (RFC 1123 labels, a wildcard only as the whole left-most label).</summary>
public static class Hostnames
{
    public static bool IsWildcard(string name) => name.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>True for a syntactically valid hostname, optionally with a left-most <c>*</c> label.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (i == 0 && label == "*" && labels.Length > 1)
            {
                continue;
            }

            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    public static bool IsLocalhost(string name) =>
        name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal) || name == "localhost.localdomain";

    /// <summary>Glob with <c>*</c> matching any run of characters (dots included), case-insensitive.</summary>
    public static bool GlobMatches(string pattern, string value)
    {
        var p = 0;
        var v = 0;
        var star = -1;
        var mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == value[v] || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(value[v])))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
