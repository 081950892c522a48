using System.Globalization;

namespace PkiProtocolServer.LoadGenerator;

/// <summary><c>--name value</c> pairs after the subcommand, read with defaults; unknown names are an error.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public Arguments(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{name}'");
            }

            _values[name[2..]] = e.Current;
        }
    }

    public string? Text(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string Text(string name, string fallback) => Text(name) ?? fallback;

    public int Int(string name, int fallback) => Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Seconds, or a number with ms/s/m suffix.</summary>
    public TimeSpan Duration(string name, TimeSpan fallback) => Text(name) switch
    {
        null => fallback,
        var t when t.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(double.Parse(t[..^2], CultureInfo.InvariantCulture)),
        var t when t.EndsWith('m') => TimeSpan.FromMinutes(double.Parse(t[..^1], CultureInfo.InvariantCulture)),
        var t when t.EndsWith('s') => TimeSpan.FromSeconds(double.Parse(t[..^1], CultureInfo.InvariantCulture)),
        var t => TimeSpan.FromSeconds(double.Parse(t, CultureInfo.InvariantCulture)),
    };

    /// <summary>Throws when an option was given that nothing read (a typo would otherwise be silently ignored).</summary>
    public void EnsureAllRead()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException("unknown option(s): " + string.Join(", ", unknown.Select(u => "--" + u)));
        }
    }
}
