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

        // 2 and 3 are reserved by parallel work (revocation, EST); the migrator applies every unrecorded migration.
        new(4, "ACME: accounts, orders, authorizations with challenges, nonces, certificates for download, EAB keys",
        [
            """
            CREATE TABLE acme_external_account_keys (
                id               TEXT   NOT NULL PRIMARY KEY,
                profile          TEXT   NOT NULL,
                document         TEXT   NOT NULL,
                created_at       BIGINT NOT NULL,
                expires_at       BIGINT NULL,
                bound_account_id TEXT   NULL
            )
            """,
            "CREATE INDEX ix_acme_external_account_keys_profile ON acme_external_account_keys (profile, created_at)",
            "CREATE INDEX ix_acme_external_account_keys_expires_at ON acme_external_account_keys (expires_at)",
            """
            CREATE TABLE acme_accounts (
                id             TEXT   NOT NULL PRIMARY KEY,
                profile        TEXT   NOT NULL,
                key_thumbprint TEXT   NOT NULL,
                version        BIGINT NOT NULL,
                document       TEXT   NOT NULL,
                created_at     BIGINT NOT NULL,
                CONSTRAINT ux_acme_accounts_key UNIQUE (profile, key_thumbprint)
            )
            """,
            """
            CREATE TABLE acme_orders (
                id         TEXT   NOT NULL PRIMARY KEY,
                account_id TEXT   NOT NULL,
                version    BIGINT NOT NULL,
                document   TEXT   NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ix_acme_orders_account ON acme_orders (account_id, created_at, id)",
            "CREATE INDEX ix_acme_orders_expires_at ON acme_orders (expires_at)",
            """
            CREATE TABLE acme_authorizations (
                id                TEXT    NOT NULL PRIMARY KEY,
                account_id        TEXT    NOT NULL,
                identifier_type   TEXT    NOT NULL,
                identifier_value  TEXT    NOT NULL,
                wildcard          INTEGER NOT NULL,
                status            TEXT    NOT NULL,
                version           BIGINT  NOT NULL,
                document          TEXT    NOT NULL,
                expires_at        BIGINT  NOT NULL,
                validation_due_at BIGINT  NULL
            )
            """,
            "CREATE INDEX ix_acme_authorizations_reuse ON acme_authorizations (account_id, identifier_type, identifier_value, wildcard, status, expires_at)",
            "CREATE INDEX ix_acme_authorizations_validation_due_at ON acme_authorizations (validation_due_at)",
            "CREATE INDEX ix_acme_authorizations_expires_at ON acme_authorizations (expires_at)",
            """
            CREATE TABLE acme_nonces (
                nonce      TEXT   NOT NULL PRIMARY KEY,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ix_acme_nonces_expires_at ON acme_nonces (expires_at)",
            """
            CREATE TABLE acme_certificates (
                id         TEXT   NOT NULL PRIMARY KEY,
                account_id TEXT   NOT NULL,
                serial     TEXT   NOT NULL,
                document   TEXT   NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ix_acme_certificates_serial ON acme_certificates (serial)",
            "CREATE INDEX ix_acme_certificates_expires_at ON acme_certificates (expires_at)",
        ]),
    ];
}
