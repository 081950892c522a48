namespace PkiProtocolServer.Admin.Auth;

/// <summary>
/// The personas of Vault PKI's role-based access table. Each includes the rights of those below it:
/// operator (issuers, keys) ⊇ agent (roles, revocation) ⊇ advanced (choose the issuer) ⊇ requester (issue).
/// Public reads need no persona.
/// </summary>
public enum Persona
{
    Requester = 1,
    Advanced = 2,
    Agent = 3,
    Operator = 4,
}

public static class Personas
{
    public const string ClaimType = "pki:persona";

    public static string PolicyName(Persona persona) => "persona:" + persona.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out Persona persona) =>
        Enum.TryParse(text, ignoreCase: true, out persona) && Enum.IsDefined(persona);
}
