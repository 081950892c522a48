namespace PkiProtocolServer.Acme.Validation;

/// <summary>One CAA resource record (RFC 8659 4.1): its flags octet, property tag and property value.</summary>
/// <param name="Flags">Bit 128 is the issuer critical flag.</param>
/// <param name="Tag">The property tag as published (compared case-insensitively).</param>
/// <param name="Value">The property value, e.g. <c>ca.example.net; accounturi=https://...</c>.</param>
public sealed record CaaRecordData(byte Flags, string Tag, string Value)
{
    /// <summary>RFC 8659 4.1: the issuer critical flag.</summary>
    public bool Critical => (Flags & 0x80) != 0;

    /// <summary>The record as a zone file would show it, for problem details.</summary>
    public override string ToString() => $"CAA {Flags} {Tag} \"{Value}\"";
}
