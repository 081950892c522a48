namespace PkiProtocolServer.Admin.Auth;

/// <summary>A bearer token known by its SHA-256 hash only.</summary>
public sealed record AdminToken(string Name, Persona Persona, byte[] Sha256);
