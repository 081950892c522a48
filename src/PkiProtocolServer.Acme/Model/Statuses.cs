namespace PkiProtocolServer.Acme.Model;

/// <summary>Account status (RFC 8555 7.1.6).</summary>
public enum AccountStatus
{
    Valid,
    Deactivated,
    Revoked,
}

/// <summary>Order status (RFC 8555 7.1.6).</summary>
public enum OrderStatus
{
    Pending,
    Ready,
    Processing,
    Valid,
    Invalid,
}

/// <summary>Authorization status (RFC 8555 7.1.6).</summary>
public enum AuthorizationStatus
{
    Pending,
    Valid,
    Invalid,
    Deactivated,
    Expired,
    Revoked,
}

/// <summary>Challenge status (RFC 8555 7.1.6).</summary>
public enum ChallengeStatus
{
    Pending,
    Processing,
    Valid,
    Invalid,
}

/// <summary>Lower-case wire names of the statuses.</summary>
public static class StatusNames
{
    public static string Wire<T>(T status)
        where T : struct, Enum => status.ToString().ToLowerInvariant();
}
