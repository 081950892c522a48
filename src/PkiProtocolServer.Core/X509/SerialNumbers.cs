using System.Security.Cryptography;

namespace PkiProtocolServer.Core.X509;

/// <summary>Certificate serial numbers: 128 bits from a CSPRNG, positive, DER-minimal, at most 17 octets (RFC 5280 allows 20).</summary>
public static class SerialNumbers
{
    /// <summary>A new serial as DER INTEGER content octets.</summary>
    public static byte[] New()
    {
        Span<byte> random = stackalloc byte[16];
        do
        {
            RandomNumberGenerator.Fill(random);
        }
        while (random[0] == 0); // keeps the encoding minimal without shifting entropy away

        if ((random[0] & 0x80) == 0)
        {
            return random.ToArray();
        }

        var positive = new byte[17]; // leading zero octet: the value stays positive with all 128 bits random
        random.CopyTo(positive.AsSpan(1));
        return positive;
    }

    /// <summary>The canonical text form used in URLs and stores: lower-case hex of the value, no leading zero octet.</summary>
    public static string ToHex(ReadOnlySpan<byte> integerContent)
    {
        var start = 0;
        while (start < integerContent.Length - 1 && integerContent[start] == 0)
        {
            start++;
        }

        return Convert.ToHexStringLower(integerContent[start..]);
    }

    /// <summary>Normalises operator input (<c>0A:1B:...</c>, <c>0a1b...</c>, <c>0a-1b</c>) to <see cref="ToHex"/> form; null if not hex.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var hex = new string(text.Where(c => c is not (':' or '-' or ' ')).ToArray()).ToLowerInvariant();
        if (hex.Length == 0 || hex.Length > 42 || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        if (hex.Length % 2 == 1)
        {
            hex = "0" + hex;
        }

        return ToHex(Convert.FromHexString(hex));
    }
}
