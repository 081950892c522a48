using System.Security.Cryptography;
using System.Text;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.X509;

/// <summary>PEM in and out. Input may be PEM, bare base64 or DER: operators paste all three.</summary>
public static class Pem
{
    public static string Encode(string label, ReadOnlySpan<byte> der) => new string(PemEncoding.Write(label, der)) + "\n";

    public static string Certificates(IEnumerable<byte[]> certificates)
    {
        var builder = new StringBuilder();
        foreach (var der in certificates)
        {
            builder.Append(Encode("CERTIFICATE", der));
        }

        return builder.ToString();
    }

    /// <summary>All PEM blocks of <paramref name="text"/> as (label, DER).</summary>
    public static IReadOnlyList<(string Label, byte[] Der)> ReadAll(string text)
    {
        var result = new List<(string, byte[])>();
        var remaining = text.AsMemory();
        while (PemEncoding.TryFind(remaining.Span, out var fields))
        {
            var label = remaining.Span[fields.Label].ToString();
            var der = Convert.FromBase64String(remaining.Span[fields.Base64Data].ToString());
            result.Add((label, der));
            remaining = remaining[fields.Location.End..];
        }

        return result;
    }

    /// <summary>Reads one object given as PEM (with <paramref name="label"/>), bare base64, or raw DER bytes.</summary>
    public static byte[] DecodeOne(ReadOnlySpan<byte> input, string label, string what)
    {
        var trimmed = TrimAscii(input);
        if (trimmed.Length > 0 && trimmed[0] == 0x30)
        {
            return trimmed.ToArray(); // DER SEQUENCE
        }

        var text = Encoding.ASCII.GetString(trimmed);
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var blocks = ReadAllOrThrow(text, what);
            var match = blocks.Where(b => b.Label == label || (label == "CERTIFICATE REQUEST" && b.Label == "NEW CERTIFICATE REQUEST")).ToList();
            return match.Count == 1
                ? match[0].Der
                : throw PkiException.Malformed($"{what}: expected one PEM block labelled '{label}', found {match.Count}");
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw PkiException.Malformed($"{what} is neither PEM, base64 nor DER");
        }
    }

    public static IReadOnlyList<(string Label, byte[] Der)> ReadAllOrThrow(string text, string what)
    {
        try
        {
            return ReadAll(text);
        }
        catch (FormatException)
        {
            throw PkiException.Malformed($"{what}: a PEM block has invalid base64");
        }
    }

    private static ReadOnlySpan<byte> TrimAscii(ReadOnlySpan<byte> input)
    {
        var start = 0;
        while (start < input.Length && input[start] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t')
        {
            start++;
        }

        var end = input.Length;
        while (end > start && input[end - 1] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t')
        {
            end--;
        }

        return input[start..end];
    }
}
