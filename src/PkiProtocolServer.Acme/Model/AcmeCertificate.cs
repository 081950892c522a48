namespace PkiProtocolServer.Acme.Model;

/// <summary>A certificate issued through ACME, kept for download (RFC 8555 7.4.2) until it expires.</summary>
public sealed record AcmeCertificate
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required string OrderId { get; init; }

    public required string Directory { get; init; }

    /// <summary>Serial number, lower-case hex, as the core records it.</summary>
    public required string Serial { get; init; }

    /// <summary>Id of the issuer that signed it (the <c>up</c> link).</summary>
    public required string IssuerId { get; init; }

    /// <summary>PEM chains: the default one first, then the alternates; each is the leaf followed by its CA certificates.</summary>
    public required IReadOnlyList<string> Chains { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The role it was issued under (the order's profile's, or the directory's); null in records written before profiles.</summary>
    public string? Role { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
