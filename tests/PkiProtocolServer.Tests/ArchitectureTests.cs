using System.Reflection;
using System.Xml.Linq;
using PkiProtocolServer.Acme;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Est.Endpoints;
using PkiProtocolServer.Keys.Pkcs11;
using PkiProtocolServer.Storage.Redis;
using PkiProtocolServer.Storage.Sqlite;

namespace PkiProtocolServer.Tests;

/// <summary>
/// The layering of DESIGN.md: the core knows no HTTP, database or vendor SDK; front ends (EST, ACME) serve HTTP
/// and know the core only, never each other; providers know the core and the front ends whose stores they
/// implement, but not the host or ASP.NET Core; nothing references the host. Checked both in the compiled
/// assemblies (transitively) and in the project files (where an unused reference would hide).
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string[] CoreForbidden = ["Microsoft.AspNetCore", "StackExchange.Redis", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "Pkcs11Interop", "PkiProtocolServer.Storage", "PkiProtocolServer.Keys", "PkiProtocolServer.Acme", "PkiProtocolServer.Est", "Google."];

    private static readonly string[] ProviderForbidden = ["Microsoft.AspNetCore", "PkiProtocolServer,"];

    /// <summary>Front ends: HTTP is theirs, and they may use the core, never another front end, a provider or the host.</summary>
    private static readonly string[] FrontEnds = ["PkiProtocolServer.Est", "PkiProtocolServer.Acme"];

    private static readonly string[] FrontEndForbidden = ["PkiProtocolServer,", "PkiProtocolServer.Storage", "PkiProtocolServer.Keys", "Microsoft.Data.Sqlite", "StackExchange.Redis", "Pkcs11Interop"];

    public static TheoryData<string> Providers => new() { "PkiProtocolServer.Storage.Sqlite", "PkiProtocolServer.Storage.Redis", "PkiProtocolServer.Keys.Pkcs11" };

    [Fact]
    public void The_core_assembly_references_no_aspnetcore_redis_sqlite_or_pkcs11_even_transitively()
    {
        var references = ReferenceClosure(typeof(IssuanceService).Assembly);
        AssertNone(references, CoreForbidden, "PkiProtocolServer.Core");

        // The walk does see what it must refuse: third-party references, and ASP.NET Core from the host.
        Assert.Contains(references, r => r.StartsWith("BouncyCastle.Cryptography,", StringComparison.Ordinal));
        Assert.Contains(ReferenceClosure(typeof(Program).Assembly), r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_provider_assembly_references_neither_the_host_nor_aspnetcore(string provider)
    {
        var assembly = provider switch
        {
            "PkiProtocolServer.Storage.Sqlite" => typeof(SqliteStores).Assembly,
            "PkiProtocolServer.Storage.Redis" => typeof(RedisStores).Assembly,
            _ => typeof(Pkcs11KeyCustody).Assembly,
        };
        // What a front end brings along (ASP.NET Core) is the front end's; the provider itself must not use it.
        var references = ReferenceClosure(assembly, stopAt: FrontEnds);
        AssertNone(references, ProviderForbidden, provider);
        Assert.Contains(references, r => r.StartsWith("PkiProtocolServer.Core,", StringComparison.Ordinal));
    }

    [Fact]
    public void The_est_front_end_references_the_core_but_no_provider_host_or_other_front_end()
    {
        var references = ReferenceClosure(typeof(EstEndpoints).Assembly);
        AssertNone(references, [.. FrontEndForbidden, "PkiProtocolServer.Acme"], "PkiProtocolServer.Est");
        Assert.Contains(references, r => r.StartsWith("PkiProtocolServer.Core,", StringComparison.Ordinal));

        var projectReferences = ProjectReferences("src/PkiProtocolServer.Est/PkiProtocolServer.Est.csproj");
        Assert.Equal(["PkiProtocolServer.Core"], projectReferences.Where(r => r.StartsWith("PkiProtocolServer", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_acme_front_end_references_the_core_and_aspnetcore_but_no_provider_other_front_end_or_the_host()
    {
        var references = ReferenceClosure(typeof(AcmePaths).Assembly);
        AssertNone(references, [.. FrontEndForbidden, "PkiProtocolServer.Est"], "PkiProtocolServer.Acme");
        Assert.Contains(references, r => r.StartsWith("PkiProtocolServer.Core,", StringComparison.Ordinal));

        var projects = ProjectReferences("src/PkiProtocolServer.Acme/PkiProtocolServer.Acme.csproj").Where(r => r.StartsWith("PkiProtocolServer", StringComparison.Ordinal));
        Assert.Equal(["PkiProtocolServer.Core"], projects);
    }

    [Fact]
    public void The_core_project_file_has_no_forbidden_package_or_project_reference()
    {
        var references = ProjectReferences("src/PkiProtocolServer.Core/PkiProtocolServer.Core.csproj");
        AssertNone(references, CoreForbidden, "PkiProtocolServer.Core.csproj");
        Assert.DoesNotContain(references, r => r.StartsWith("PkiProtocolServer", StringComparison.Ordinal));
    }

    [Fact]
    public void No_project_under_src_references_the_host_and_only_the_host_and_front_ends_reference_aspnetcore()
    {
        foreach (var project in Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryRoot(), project);
            var document = XDocument.Load(project);
            var name = Path.GetFileNameWithoutExtension(project);
            Assert.DoesNotContain(ProjectReferences(relative), r => r == "PkiProtocolServer");
            if (name != "PkiProtocolServer" && !FrontEnds.Contains(name))
            {
                Assert.NotEqual("Microsoft.NET.Sdk.Web", document.Root!.Attribute("Sdk")?.Value);
            }

            // Front ends serve HTTP through the shared framework; nothing else below the host does.
            if (name != "PkiProtocolServer" && !FrontEnds.Contains(name))
            {
                Assert.DoesNotContain(ProjectReferences(relative), r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>Full names of every assembly reachable from <paramref name="root"/>, not descending into the .NET runtime itself.</summary>
    private static List<string> ReferenceClosure(Assembly root, string[]? stopAt = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<Assembly>([root]);
        while (queue.Count > 0)
        {
            foreach (var name in queue.Dequeue().GetReferencedAssemblies())
            {
                if (!seen.Add(name.FullName) || IsRuntime(name) || stopAt?.Contains(name.Name) == true)
                {
                    continue;
                }

                try
                {
                    queue.Enqueue(Assembly.Load(name));
                }
                catch (FileNotFoundException)
                {
                    // Not loadable here; its name is still checked.
                }
            }
        }

        return [.. seen];
    }

    private static bool IsRuntime(AssemblyName name) =>
        name.Name is "mscorlib" or "netstandard" || name.Name!.StartsWith("System.", StringComparison.Ordinal) || name.Name == "System";

    private static void AssertNone(IEnumerable<string> references, string[] forbidden, string what)
    {
        var bad = references.Where(r => forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(bad.Count == 0, $"{what} references {string.Join(", ", bad)}");
    }

    /// <summary>PackageReference names and ProjectReference project names of a project file.</summary>
    private static List<string> ProjectReferences(string relativePath)
    {
        var document = XDocument.Load(Path.Combine(RepositoryRoot(), relativePath));
        return document.Descendants()
            .Where(e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "FrameworkReference")
            .Select(e => e.Attribute("Include")?.Value ?? string.Empty)
            .Select(include => include.EndsWith(".csproj", StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(include.Replace('\\', '/')) : include)
            .ToList();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PkiProtocolServer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PkiProtocolServer.sln not found above " + AppContext.BaseDirectory);
    }
}
