using System.Security.Cryptography;
using PkiProtocolServer.Acme.Jws;

namespace PkiProtocolServer.Acme.Services;

/// <summary>Identifiers of ACME objects and challenge tokens: 128 random bits, base64url (unguessable, URL-safe).</summary>
public static class AcmeIds
{
    public static string New() => Base64UrlText.Encode(RandomNumberGenerator.GetBytes(16));
}
