using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PkiProtocolServer.Est.ChannelBinding;

/// <summary>
/// RFC 9266 tls-exporter for TLS 1.3, which .NET's <see cref="SslStream"/> does not expose (it offers tls-unique and
/// tls-server-end-point only). On Linux .NET runs TLS on OpenSSL, and the stream's security context handle is the
/// OpenSSL <c>SSL*</c>; this calls OpenSSL's own <c>SSL_export_keying_material</c> (RFC 8446 7.5) on it.
/// </summary>
/// <remarks>
/// That handle is private to the runtime, so nothing here is used until <see cref="SelfTest"/> has proven, in this very
/// process, that (1) the runtime's private field still exists, (2) the process has OpenSSL 3 (<c>libssl.so.3</c>) loaded,
/// (3) <c>SSL_version</c> on the handle reports TLS 1.3, and (4) both ends of a loopback TLS 1.3 connection export the
/// same value while two connections export different ones. If any of that fails (another OS, another runtime layout),
/// tls-exporter is reported unavailable and channel binding on TLS 1.3 is refused with a clear 403.
/// </remarks>
internal static partial class OpenSslTlsExporter
{
    private const string Library = "libssl.so.3";
    private const int Tls13Version = 0x0304;

    /// <summary>RFC 9266 section 2: the exporter label and length of tls-exporter (no context).</summary>
    private static readonly byte[] Label = "EXPORTER-Channel-Binding"u8.ToArray();
    public const int Length = 32;

    private static readonly FieldInfo? SecurityContext = typeof(SslStream).GetField("_securityContext", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>The tls-exporter value of a TLS 1.3 stream; null when the handle cannot be reached.</summary>
    public static byte[]? Export(SslStream stream)
    {
        if (SecurityContext?.GetValue(stream) is not SafeHandle handle || handle.IsInvalid || handle.IsClosed)
        {
            return null;
        }

        var added = false;
        try
        {
            // Keeps the SSL* alive while OpenSSL reads it, even if the connection closes meanwhile.
            handle.DangerousAddRef(ref added);
            var ssl = handle.DangerousGetHandle();
            if (SslVersion(ssl) != Tls13Version)
            {
                return null;
            }

            var output = new byte[Length];
            return ExportKeyingMaterial(ssl, output, Length, Label, Label.Length, IntPtr.Zero, 0, 0) == 1 ? output : null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Proves the mechanism on two loopback TLS 1.3 connections; returns null when it works, else why not.</summary>
    public static async Task<string?> SelfTest()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the TLS stack is not OpenSSL (not Linux): .NET offers no exporter there";
        }

        if (SecurityContext is null)
        {
            return "this .NET runtime does not keep the TLS handle where expected (SslStream._securityContext)";
        }

        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=tls-exporter self-test", key, HashAlgorithmName.SHA256);
            using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
            using var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
            await using var first = await LoopbackPair.ConnectAsync(certificate).ConfigureAwait(false);
            // Only now, with the runtime's own TLS library loaded by a handshake, can it be told which one it is; nothing
            // of libssl.so.3 is called before (calling it would load it whatever the runtime uses).
            if (!IsOpenSsl3Loaded())
            {
                return "OpenSSL 3 (libssl.so.3) is not the TLS library of this process";
            }

            await using var second = await LoopbackPair.ConnectAsync(certificate).ConfigureAwait(false);
            var (server1, client1, server2) = (Export(first.Server), Export(first.Client), Export(second.Server));
            if (server1 is null || client1 is null || server2 is null)
            {
                return "SSL_export_keying_material could not be called on the runtime's TLS handle";
            }

            if (!server1.AsSpan().SequenceEqual(client1) || server1.AsSpan().SequenceEqual(server2))
            {
                return "the exported values did not agree between the ends of one connection, or repeated across connections";
            }

            return null;
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or DllNotFoundException or EntryPointNotFoundException or CryptographicException)
        {
            return "the self-test failed: " + e.Message;
        }
    }

    private static bool IsOpenSsl3Loaded()
    {
        try
        {
            return File.ReadLines("/proc/self/maps").Any(line => line.EndsWith("/" + Library, StringComparison.Ordinal) || line.Contains("/" + Library + ".", StringComparison.Ordinal) || line.EndsWith(Library, StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    [LibraryImport(Library, EntryPoint = "SSL_version")]
    private static partial int SslVersion(IntPtr ssl);

    [LibraryImport(Library, EntryPoint = "SSL_export_keying_material")]
    private static partial int ExportKeyingMaterial(IntPtr ssl, [Out] byte[] output, nint outputLength, byte[] label, nint labelLength, IntPtr context, nint contextLength, int useContext);

    /// <summary>Both ends of one loopback TLS 1.3 connection.</summary>
    private sealed class LoopbackPair : IAsyncDisposable
    {
        private readonly TcpClient _serverSocket;
        private readonly TcpClient _clientSocket;

        private LoopbackPair(TcpClient serverSocket, TcpClient clientSocket)
        {
            _serverSocket = serverSocket;
            _clientSocket = clientSocket;
            Server = new SslStream(serverSocket.GetStream());
            Client = new SslStream(clientSocket.GetStream());
        }

        public SslStream Server { get; }

        public SslStream Client { get; }

        public static async Task<LoopbackPair> ConnectAsync(X509Certificate2 certificate)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var accept = listener.AcceptTcpClientAsync();
            var clientSocket = new TcpClient();
            await clientSocket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port).ConfigureAwait(false);
            var pair = new LoopbackPair(await accept.ConfigureAwait(false), clientSocket);
            var serverSide = pair.Server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 });
            await pair.Client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }).ConfigureAwait(false);
            await serverSide.ConfigureAwait(false);
            return pair;
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync().ConfigureAwait(false);
            await Client.DisposeAsync().ConfigureAwait(false);
            _serverSocket.Dispose();
            _clientSocket.Dispose();
        }
    }
}
