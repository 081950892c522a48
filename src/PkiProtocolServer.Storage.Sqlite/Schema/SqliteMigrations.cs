namespace PkiProtocolServer.Storage.Sqlite.Schema;

/// <summary>
/// The schema, as the list of migrations that build it. Append new migrations; never edit one that has shipped.
/// </summary>
/// <remarks>
/// Portability to PostgreSQL: every type and constraint here exists there. BLOB maps to <c>bytea</c>;
/// BIGINT timestamps are unix milliseconds UTC; serials are lower-case hex TEXT compared bytewise (in
/// PostgreSQL declare <c>serial TEXT COLLATE "C"</c> so ORDER BY matches). Structured settings are JSON
/// TEXT (<c>jsonb</c> would also do); everything a query filters or orders on is a real, indexed column.
/// </remarks>
internal static class SqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new(1, "issuers, issuer keys, default issuer, roles, issued certificates",
        [
            """
            CREATE TABLE issuer_keys (
                id                      TEXT   NOT NULL PRIMARY KEY,
                name                    TEXT   NOT NULL UNIQUE,
                key_reference           TEXT   NOT NULL,
                key_spec                TEXT   NOT NULL,
                subject_public_key_info BLOB   NOT NULL,
                created_at              BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE issuers (
                id              TEXT   NOT NULL PRIMARY KEY,
                name            TEXT   NOT NULL UNIQUE,
                key_id          TEXT   NULL REFERENCES issuer_keys (id),
                certificate_der BLOB   NOT NULL,
                settings        TEXT   NOT NULL,
                created_at      BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ix_issuers_key_id ON issuers (key_id)",
            """
            CREATE TABLE default_issuer (
                singleton INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
                issuer_id TEXT    NOT NULL REFERENCES issuers (id)
            )
            """,
            """
            CREATE TABLE roles (
                name     TEXT NOT NULL PRIMARY KEY,
                document TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE issued_certificates (
                serial            TEXT   NOT NULL PRIMARY KEY,
                issuer_id         TEXT   NOT NULL,
                role              TEXT   NULL,
                common_name       TEXT   NULL,
                subject_alt_names TEXT   NOT NULL,
                not_before        BIGINT NOT NULL,
                not_after         BIGINT NOT NULL,
                certificate_der   BLOB   NOT NULL,
                issued_at         BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ix_issued_certificates_issuer_id ON issued_certificates (issuer_id, serial)",
            "CREATE INDEX ix_issued_certificates_not_after ON issued_certificates (not_after)",
            "CREATE INDEX ix_issued_certificates_issued_at ON issued_certificates (issued_at)",
        ]),

        // MERGE NOTE (est branch): number 2 belongs to another branch's migration, which replaces this empty
        // placeholder when the branches meet. It exists only so that the migrator, which refuses gaps, accepts 3 here.
        new(2, "reserved for another branch's migration (empty placeholder on the est branch)", []),

        new(3, "EST: password users and enrollments held for manual approval",
        [
            """
            CREATE TABLE est_users (
                label         TEXT     NOT NULL,
                name          TEXT     NOT NULL,
                password_hash TEXT     NOT NULL,
                one_time      SMALLINT NOT NULL CHECK (one_time IN (0, 1)),
                created_at    BIGINT   NOT NULL,
                created_by    TEXT     NOT NULL,
                expires_at    BIGINT   NULL,
                consumed_at   BIGINT   NULL,
                consumed_for  TEXT     NULL,
                PRIMARY KEY (label, name)
            )
            """,
            """
            CREATE TABLE est_enrollments (
                id                TEXT   NOT NULL PRIMARY KEY,
                label             TEXT   NOT NULL,
                operation         TEXT   NOT NULL,
                request_hash      TEXT   NOT NULL,
                csr_der           BLOB   NOT NULL,
                requester         TEXT   NOT NULL,
                common_name       TEXT   NULL,
                subject_alt_names TEXT   NOT NULL,
                state             TEXT   NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'completed', 'failed')),
                created_at        BIGINT NOT NULL,
                decided_at        BIGINT NULL,
                decided_by        TEXT   NULL,
                reason            TEXT   NULL,
                completed_at      BIGINT NULL,
                serial            TEXT   NULL
            )
            """,
            // At most one open request per label, operation and CSR: a device's poll finds it, a second node cannot add a twin.
            "CREATE UNIQUE INDEX ux_est_enrollments_open ON est_enrollments (label, operation, request_hash) WHERE state IN ('pending', 'approved', 'rejected')",
            "CREATE INDEX ix_est_enrollments_state ON est_enrollments (state, created_at, id)",
            "CREATE INDEX ix_est_enrollments_created_at ON est_enrollments (created_at, id)",
        ]),
    ];
}
