namespace PkiProtocolServer.Benchmarks;

/// <summary>
/// Writes this harness's section of docs/performance.md between its markers, leaving every other section (other
/// harnesses write theirs) as it is; creates the file with only this section when it does not exist.
/// </summary>
internal static class PerformanceDocument
{
    public const string Begin = "<!-- revocation-benchmark:begin -->";
    public const string End = "<!-- revocation-benchmark:end -->";

    public static void WriteSection(string path, string section)
    {
        var block = Begin + "\n" + section.TrimEnd() + "\n" + End;
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "# Performance\n\n" + block + "\n");
            return;
        }

        var text = File.ReadAllText(path);
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        text = begin >= 0 && end > begin
            ? text[..begin] + block + text[(end + End.Length)..]
            : text.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, text);
    }
}
