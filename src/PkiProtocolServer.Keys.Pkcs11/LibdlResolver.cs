using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.HighLevelAPI;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// Pkcs11Interop 5.x P/Invokes <c>dlopen</c> from a library named <c>libdl</c>; Debian and other current
/// glibc distributions ship only <c>libdl.so.2</c>, so the first module load fails with
/// <see cref="DllNotFoundException"/>. This maps that one name, once per process, before the first load.
/// </summary>
internal static class LibdlResolver
{
    private static readonly Lock Gate = new();
    private static bool _installed;

    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // Someone else in the process already installed a resolver for Pkcs11Interop; an
                // assembly can have only one, and theirs exists to solve the same problem.
            }

            _installed = true;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (OperatingSystem.IsLinux() && libraryName == "libdl" && NativeLibrary.TryLoad("libdl.so.2", out var handle))
        {
            return handle;
        }

        // Zero means "not mine": the runtime falls back to its default probing.
        return IntPtr.Zero;
    }
}
