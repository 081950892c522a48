namespace PkiProtocolServer.Est;

/// <summary>
/// The EST URL space (RFC 7030 3.2.2): <c>/.well-known/est/{operation}</c> for the default label and
/// <c>/.well-known/est/{label}/{operation}</c> for the others. Every route of the front end is named here.
/// </summary>
public static class EstPaths
{
    public const string Prefix = "/.well-known/est";

    public const string CaCerts = "cacerts";
    public const string SimpleEnroll = "simpleenroll";
    public const string SimpleReenroll = "simplereenroll";
    public const string FullCmc = "fullcmc";
    public const string ServerKeyGen = "serverkeygen";
    public const string CsrAttrs = "csrattrs";

    /// <summary>The operation names of RFC 7030 3.2.2 Figure 5; a label may not be one of them.</summary>
    public static IReadOnlyList<string> Operations { get; } = [CaCerts, SimpleEnroll, SimpleReenroll, FullCmc, ServerKeyGen, CsrAttrs];

    /// <summary>
    /// Labels are one path segment (RFC 7030 3.2.2). This server keeps them to letters, digits, '.', '_' and '-'
    /// (at most 64), so a label never needs escaping in a URL, a log line or a configuration key.
    /// </summary>
    public static bool IsValidLabel(string label) =>
        label.Length is > 0 and <= 64
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
        && label is not "." and not ".." and not "default"
        && !Operations.Contains(label, StringComparer.OrdinalIgnoreCase);

    /// <summary>The path of an operation on a label; <paramref name="label"/> empty for the default label.</summary>
    public static string Path(string label, string operation) =>
        string.IsNullOrEmpty(label) ? $"{Prefix}/{operation}" : $"{Prefix}/{label}/{operation}";
}
