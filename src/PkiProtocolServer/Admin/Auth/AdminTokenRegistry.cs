using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Configuration;

namespace PkiProtocolServer.Admin.Auth;

/// <summary>
/// Tokens from configuration (<c>Pki:Admin:Tokens</c>) plus those created with the <c>token create</c> verb,
/// which live as hashes in <c>{DataDirectory}/admin-tokens.json</c>. No token is ever kept in clear.
/// </summary>
public sealed class AdminTokenRegistry
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private readonly IReadOnlyList<AdminToken> _configured;
    private readonly string _file;
    private (DateTime Stamp, IReadOnlyList<AdminToken> Tokens) _fromFile = (DateTime.MinValue, []);

    public AdminTokenRegistry(IOptions<PkiOptions> options)
    {
        _configured = options.Value.Admin.Tokens.Select(FromOptions).ToList();
        _file = options.Value.DataPath("admin-tokens.json");
    }

    public bool HasAny => _configured.Count > 0 || Tokens().Count > 0;

    /// <summary>Finds the token whose hash matches. Compares against every known hash in constant time.</summary>
    public AdminToken? Authenticate(string presented)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        AdminToken? match = null;
        foreach (var token in Tokens())
        {
            if (CryptographicOperations.FixedTimeEquals(hash, token.Sha256))
            {
                match = token; // no early exit: the time taken does not depend on which token matched
            }
        }

        return match;
    }

    public IReadOnlyList<AdminToken> Tokens()
    {
        var stamp = File.Exists(_file) ? File.GetLastWriteTimeUtc(_file) : DateTime.MinValue;
        if (stamp != _fromFile.Stamp)
        {
            _fromFile = (stamp, ReadFile(_file));
        }

        return [.. _configured, .. _fromFile.Tokens];
    }

    /// <summary>Creates a token, stores its hash, and returns the token text: the only time it exists in clear.</summary>
    public static string Create(string dataDirectoryFile, string name, Persona persona)
    {
        var token = "pki_" + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var entries = File.Exists(dataDirectoryFile)
            ? JsonSerializer.Deserialize<List<FileEntry>>(File.ReadAllText(dataDirectoryFile), Json) ?? []
            : [];
        if (entries.Any(e => e.Name == name))
        {
            throw new InvalidOperationException($"a token named '{name}' already exists in {dataDirectoryFile}");
        }

        entries.Add(new FileEntry(name, persona.ToString().ToLowerInvariant(), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))));
        Directory.CreateDirectory(Path.GetDirectoryName(dataDirectoryFile)!);
        var temp = dataDirectoryFile + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(entries, Json));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, dataDirectoryFile, overwrite: true);
        return token;
    }

    private static IReadOnlyList<AdminToken> ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var entries = JsonSerializer.Deserialize<List<FileEntry>>(File.ReadAllText(path), Json) ?? [];
        return entries.Select(e => FromOptions(new AdminTokenOptions { Name = e.Name, Persona = e.Persona, Sha256 = e.Sha256 })).ToList();
    }

    private static AdminToken FromOptions(AdminTokenOptions options)
    {
        if (!Personas.TryParse(options.Persona, out var persona))
        {
            throw new OptionsValidationException(PkiOptions.Section, typeof(AdminTokenOptions), [$"admin token '{options.Name}': persona '{options.Persona}' is not operator, agent, advanced or requester"]);
        }

        byte[] hash;
        try
        {
            hash = Convert.FromHexString(options.Sha256.Trim());
        }
        catch (FormatException)
        {
            hash = [];
        }

        if (hash.Length != 32)
        {
            throw new OptionsValidationException(PkiOptions.Section, typeof(AdminTokenOptions), [$"admin token '{options.Name}': Sha256 must be 64 hex characters (the SHA-256 of the token, never the token itself)"]);
        }

        return new AdminToken(options.Name, persona, hash);
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record FileEntry(string Name, string Persona, string Sha256);
}
