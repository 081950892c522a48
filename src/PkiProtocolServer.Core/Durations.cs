using System.Globalization;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core;

/// <summary>
/// Lifetimes as operators write them in Vault: <c>3600</c> (seconds), <c>90s</c>, <c>15m</c>, <c>720h</c>,
/// <c>30d</c>, <c>1y</c> (365 days) and combinations like <c>1h30m</c>.
/// </summary>
public static class Durations
{
    public static TimeSpan Parse(string text, string field)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s.Length == 0)
        {
            throw PkiException.Malformed($"{field} is empty");
        }

        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
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

            total += s[i++] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                'y' => TimeSpan.FromDays(365 * n),
                _ => throw PkiException.Malformed($"{field} '{text}' has an unknown unit '{s[i - 1]}' (use s, m, h, d or y)"),
            };
        }

        return total;
    }

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
