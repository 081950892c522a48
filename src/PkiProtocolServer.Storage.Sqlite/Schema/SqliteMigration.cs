namespace PkiProtocolServer.Storage.Sqlite.Schema;

/// <summary>
/// One numbered schema change, applied once, in one transaction, together with its <c>schema_version</c> row.
/// Statements use SQL that PostgreSQL also runs (TEXT, BIGINT, BLOB-as-bytea, standard constraints).
/// </summary>
/// <param name="Version">1, 2, 3, ... increasing; a gap is allowed (a number reserved by parallel work).</param>
/// <param name="Description">What the change is for, recorded with the version.</param>
/// <param name="Statements">DDL and data statements, run in order.</param>
internal sealed record SqliteMigration(int Version, string Description, IReadOnlyList<string> Statements);
