using System.Globalization;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core;

/// <summary>
/// Lifetimes as operators write them in Vault: <c>3600</c> (seconds), <c>90s</c>, <c>15m</c>, <c>720h</c>,
/// <c>30d</c>, <c>1y</c> (365 days) and combinations like <c>1h30m</c>.
/// </summary>
public static class Durations
{
    /// <summary>The longest lifetime anything may ask for: 100 years keeps every date arithmetic in range.</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(36500);

    public static TimeSpan Parse(string text, string field)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s.Length == 0)
        {
            throw PkiException.Malformed($"{field} is empty");
        }

        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= Maximum.TotalSeconds ? TimeSpan.FromSeconds(seconds) : throw TooLong(field, text);
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (start == i || i == s.Length || !long.TryParse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1_000_000)
            {
                throw PkiException.Malformed($"{field} '{text}' is not a duration (use e.g. 3600, 90s, 15m, 720h, 30d, 1y)");
            }

            long unit = s[i++] switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86400,
                'y' => 365 * 86400,
                _ => throw PkiException.Malformed($"{field} '{text}' has an unknown unit '{s[i - 1]}' (use s, m, h, d or y)"),
            };
            if (n * unit > (long)Maximum.TotalSeconds) // n <= 1e6 keeps the product inside long
            {
                throw TooLong(field, text);
            }

            var part = TimeSpan.FromSeconds(n * unit);
            if (total + part > Maximum)
            {
                throw TooLong(field, text);
            }

            total += part;
        }

        return total;
    }

    private static PkiException TooLong(string field, string text) =>
        PkiException.Malformed($"{field} '{text}' is longer than the maximum of 100 years");

    /// <summary>Writes a duration the way <see cref="Parse"/> reads it, in the largest whole unit.</summary>
    public static string Format(TimeSpan value)
    {
        var seconds = (long)value.TotalSeconds;
        if (seconds != 0 && seconds % 86400 == 0)
        {
            return (seconds / 86400).ToString(CultureInfo.InvariantCulture) + "d";
        }

        if (seconds != 0 && seconds % 3600 == 0)
        {
            return (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (seconds != 0 && seconds % 60 == 0)
        {
            return (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m";
        }

        return seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }
}
