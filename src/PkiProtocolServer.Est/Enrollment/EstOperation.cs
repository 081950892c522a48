namespace PkiProtocolServer.Est.Enrollment;

/// <summary>The EST operations that end in a certificate.</summary>
public enum EstOperation
{
    /// <summary><c>/simpleenroll</c> (RFC 7030 4.2.1).</summary>
    SimpleEnroll,

    /// <summary><c>/simplereenroll</c> (RFC 7030 4.2.2).</summary>
    SimpleReenroll,

    /// <summary><c>/serverkeygen</c> (RFC 7030 4.4).</summary>
    ServerKeyGen,
}

/// <summary>The path segment of each operation, and back (also the stored name of a held enrollment's operation).</summary>
public static class EstOperations
{
    public static string PathName(this EstOperation operation) => operation switch
    {
        EstOperation.SimpleEnroll => EstPaths.SimpleEnroll,
        EstOperation.SimpleReenroll => EstPaths.SimpleReenroll,
        _ => EstPaths.ServerKeyGen,
    };

    public static EstOperation? FromPathName(string name) => name switch
    {
        EstPaths.SimpleEnroll => EstOperation.SimpleEnroll,
        EstPaths.SimpleReenroll => EstOperation.SimpleReenroll,
        EstPaths.ServerKeyGen => EstOperation.ServerKeyGen,
        _ => null,
    };
}
