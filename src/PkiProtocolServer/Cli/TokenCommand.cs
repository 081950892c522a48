using System.Security.Cryptography;
using System.Text;
using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Configuration;

namespace PkiProtocolServer.Cli;

/// <summary>
/// <c>token create --name NAME --persona operator|agent|advanced|requester</c>: makes an admin token, stores
/// its hash in the data directory (a running server picks it up), and prints the token once.
/// <c>token hash</c>: prints the SHA-256 of a token read from standard input, for <c>Pki:Admin:Tokens</c>.
/// </summary>
public static class TokenCommand
{
    public static int Run(string[] args, PkiOptions options)
    {
        if (args.Length >= 2 && args[1] == "hash")
        {
            var token = Console.In.ReadToEnd().Trim();
            Console.WriteLine(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));
            return 0;
        }

        if (args.Length < 2 || args[1] != "create")
        {
            Console.Error.WriteLine("usage: token create --name NAME --persona operator|agent|advanced|requester");
            Console.Error.WriteLine("       token hash < token.txt");
            return 2;
        }

        var name = Option(args, "--name") ?? "admin";
        var personaText = Option(args, "--persona") ?? "requester";
        if (!Personas.TryParse(personaText, out var persona))
        {
            Console.Error.WriteLine($"persona '{personaText}' must be operator, agent, advanced or requester");
            return 2;
        }

        try
        {
            var token = AdminTokenRegistry.Create(options.DataPath("admin-tokens.json"), name, persona);
            Console.WriteLine(token);
            Console.Error.WriteLine($"Created {persona.ToString().ToLowerInvariant()} token '{name}'. It is shown only now; the server keeps its SHA-256 hash.");
            return 0;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
