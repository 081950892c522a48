using System.Formats.Asn1;
using System.Numerics;

namespace PkiProtocolServer.Core.Keys;

/// <summary>
/// ECDSA signatures come raw (r||s) from PKCS#11 and JOSE, and DER (Ecdsa-Sig-Value) in X.509.
/// </summary>
public static class EcdsaSignatureEncoding
{
    public static byte[] RawToDer(ReadOnlySpan<byte> raw)
    {
        if (raw.Length == 0 || raw.Length % 2 != 0)
        {
            throw new ArgumentException("a raw ECDSA signature is r||s of equal halves", nameof(raw));
        }

        var half = raw.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new BigInteger(raw[..half], isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(raw[half..], isUnsigned: true, isBigEndian: true));
        }

        return writer.Encode();
    }

    public static byte[] DerToRaw(ReadOnlySpan<byte> der, int fieldSizeBytes)
    {
        var sequence = new AsnReader(der.ToArray(), AsnEncodingRules.DER).ReadSequence();
        var result = new byte[fieldSizeBytes * 2];
        WriteField(sequence.ReadInteger(), result.AsSpan(0, fieldSizeBytes));
        WriteField(sequence.ReadInteger(), result.AsSpan(fieldSizeBytes, fieldSizeBytes));
        return result;
    }

    private static void WriteField(BigInteger value, Span<byte> destination)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > destination.Length)
        {
            throw new ArgumentException("signature component larger than the curve's field");
        }

        bytes.CopyTo(destination[(destination.Length - bytes.Length)..]);
    }
}
