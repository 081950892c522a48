using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Keys.Software;

/// <summary>
/// Development-grade custody: keys are PKCS#8 files encrypted with a passphrase (readable by
/// <c>openssl pkey</c>), decrypted into process memory when opened. Use <c>pkcs11</c> or a KMS in production.
/// </summary>
public sealed class SoftwareKeyCustody : IKeyCustody
{
    public const string Scheme = "software";

    private readonly SoftwareKeyCustodyOptions _options;

    public SoftwareKeyCustody(SoftwareKeyCustodyOptions options)
    {
        if (string.IsNullOrEmpty(options.Passphrase))
        {
            throw new ArgumentException("software key custody needs a passphrase", nameof(options));
        }

        _options = options;
        System.IO.Directory.CreateDirectory(options.Directory);
    }

    public string Name => Scheme;

    public bool IsDevelopmentGrade => true;

    public ValueTask<ISigner> GenerateAsync(KeySpec spec, string label, CancellationToken cancellationToken)
    {
        var pkcs8 = GeneratePkcs8(spec);
        try
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var encrypted = Pkcs8PrivateKeyInfo.Decode(pkcs8, out _, skipCopy: true).Encrypt(
                _options.Passphrase,
                new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, _options.Iterations));
            var path = PathOf(id);
            WritePrivateFile(path, PemEncoding.WriteString("ENCRYPTED PRIVATE KEY", encrypted));
            return ValueTask.FromResult<ISigner>(SoftwareSigner.FromPkcs8(KeyReference.Build(Scheme, ("id", id)), pkcs8));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public ValueTask<ISigner> OpenAsync(string keyReference, CancellationToken cancellationToken)
    {
        var path = PathOf(IdOf(keyReference));
        if (!File.Exists(path))
        {
            throw PkiException.NotFound($"software key {keyReference} does not exist in {_options.Directory}");
        }

        byte[] pkcs8;
        try
        {
            var pem = PemEncoding.Find(File.ReadAllText(path));
            var encrypted = Convert.FromBase64String(File.ReadAllText(path)[pem.Base64Data]);
            var info = Pkcs8PrivateKeyInfo.DecryptAndDecode(_options.Passphrase, encrypted, out _);
            pkcs8 = info.Encode();
        }
        catch (CryptographicException)
        {
            // Never echo the passphrase; the likely cause is a changed Pki:Keys:Software:Passphrase.
            throw new PkiException(PkiErrorKind.Unavailable, $"software key {keyReference} cannot be decrypted: wrong passphrase or damaged file");
        }

        try
        {
            return ValueTask.FromResult<ISigner>(SoftwareSigner.FromPkcs8(keyReference, pkcs8));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public ValueTask<bool> DeleteAsync(string keyReference, CancellationToken cancellationToken)
    {
        var path = PathOf(IdOf(keyReference));
        if (!File.Exists(path))
        {
            return ValueTask.FromResult(false);
        }

        File.Delete(path);
        return ValueTask.FromResult(true);
    }

    private static string IdOf(string keyReference)
    {
        if (KeyReference.Scheme(keyReference) != Scheme
            || !KeyReference.Attributes(keyReference).TryGetValue("id", out var id)
            || id.Length == 0 || !id.All(char.IsAsciiLetterOrDigit))
        {
            throw PkiException.Malformed($"'{keyReference}' is not a software key reference (software:id=...)");
        }

        return id;
    }

    private string PathOf(string id) => Path.Combine(_options.Directory, id + ".p8.pem");

    private static void WritePrivateFile(string path, string contents)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(contents);
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

    internal static byte[] GeneratePkcs8(KeySpec spec)
    {
        switch (spec.Algorithm)
        {
            case KeyAlgorithm.Rsa:
                using (var rsa = RSA.Create(spec.Bits))
                {
                    return rsa.ExportPkcs8PrivateKey();
                }

            case KeyAlgorithm.Ec:
                using (var ec = ECDsa.Create(spec.Bits == 384 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256))
                {
                    return ec.ExportPkcs8PrivateKey();
                }

            default:
                // RFC 8410 PKCS#8 v1 (no public key field, which .NET's PKCS#8 reader refuses).
                var seed = RandomNumberGenerator.GetBytes(32);
                var writer = new AsnWriter(AsnEncodingRules.DER);
                using (writer.PushSequence())
                {
                    writer.WriteInteger(0);
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(SignatureAlgorithms.Ed25519Oid);
                    }

                    var inner = new AsnWriter(AsnEncodingRules.DER);
                    inner.WriteOctetString(seed);
                    writer.WriteOctetString(inner.Encode());
                }

                CryptographicOperations.ZeroMemory(seed);
                return writer.Encode();
        }
    }
}
