using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>Turns SQLite constraint violations (result code 19) into the core's Conflict.</summary>
internal static partial class SqliteConstraintErrors
{
    /// <summary>
    /// The <c>table.column</c> a UNIQUE or PRIMARY KEY violation names (SQLite reports
    /// <c>UNIQUE constraint failed: issuers.name</c>), or null for other constraints.
    /// </summary>
    public static string? ViolatedColumn(SqliteException e)
    {
        var match = UniqueFailure().Match(e.Message);
        return match.Success ? match.Groups["column"].Value : null;
    }

    public static PkiException ToConflict(SqliteException e, Func<string?, string?> describe)
    {
        var column = ViolatedColumn(e);
        var detail = describe(column)
            ?? (column is null
                ? "the change conflicts with existing records and was not made"
                : $"the change conflicts with an existing record ({column} must be unique) and was not made");
        return new PkiException(PkiErrorKind.Conflict, detail, inner: e);
    }

    [GeneratedRegex(@"UNIQUE constraint failed: (?<column>[A-Za-z0-9_.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex UniqueFailure();
}
