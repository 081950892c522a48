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
        new(2, "revocations, counters (revocation sequence, CRL numbers), published CRLs, OCSP responders and response cache, leases, status documents",
        [
            // shard is NULL for certificates whose CDP names no shard; revocation_seq orders revocations across nodes (delta CRLs).
            """
            CREATE TABLE revocations (
                serial          TEXT    NOT NULL PRIMARY KEY,
                issuer_id       TEXT    NOT NULL,
                revocation_seq  BIGINT  NOT NULL UNIQUE,
                revoked_at      BIGINT  NOT NULL,
                reason          INTEGER NOT NULL,
                invalidity_date BIGINT  NULL,
                not_after       BIGINT  NOT NULL,
                shard           INTEGER NULL,
                certificate_der BLOB    NULL
            )
            """,
            "CREATE INDEX ix_revocations_issuer_seq ON revocations (issuer_id, revocation_seq)",
            "CREATE INDEX ix_revocations_not_after ON revocations (not_after)",
            """
            CREATE TABLE counters (
                name  TEXT   NOT NULL PRIMARY KEY,
                value BIGINT NOT NULL
            )
            """,
            "INSERT INTO counters (name, value) VALUES ('revocation_seq', 0)",
            // shard_key is -1 for the CRL of every entry (a primary key column cannot be NULL).
            """
            CREATE TABLE published_crls (
                issuer_id       TEXT    NOT NULL,
                shard_key       INTEGER NOT NULL,
                is_delta        INTEGER NOT NULL,
                crl_number      BIGINT  NOT NULL,
                base_crl_number BIGINT  NULL,
                this_update     BIGINT  NOT NULL,
                next_update     BIGINT  NOT NULL,
                max_seq         BIGINT  NOT NULL,
                entry_count     BIGINT  NOT NULL,
                der             BLOB    NOT NULL,
                PRIMARY KEY (issuer_id, shard_key, is_delta)
            )
            """,
            """
            CREATE TABLE ocsp_responders (
                id              TEXT   NOT NULL PRIMARY KEY,
                issuer_id       TEXT   NOT NULL,
                key_reference   TEXT   NOT NULL,
                certificate_der BLOB   NOT NULL,
                not_before      BIGINT NOT NULL,
                not_after       BIGINT NOT NULL,
                created_at      BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ix_ocsp_responders_issuer ON ocsp_responders (issuer_id, created_at)",
            "CREATE INDEX ix_ocsp_responders_not_after ON ocsp_responders (not_after)",
            // Hot state: a cache of signed responses, keyed by the CertID the response echoes.
            """
            CREATE TABLE ocsp_responses (
                cert_id_key  TEXT    NOT NULL PRIMARY KEY,
                cert_id      BLOB    NOT NULL,
                issuer_id    TEXT    NOT NULL,
                serial       TEXT    NOT NULL,
                status       INTEGER NOT NULL,
                this_update  BIGINT  NOT NULL,
                next_update  BIGINT  NOT NULL,
                refresh_at   BIGINT  NOT NULL,
                response_der BLOB    NOT NULL
            )
            """,
            "CREATE INDEX ix_ocsp_responses_serial ON ocsp_responses (serial)",
            "CREATE INDEX ix_ocsp_responses_refresh_at ON ocsp_responses (refresh_at)",
            "CREATE INDEX ix_ocsp_responses_next_update ON ocsp_responses (next_update)",
            """
            CREATE TABLE leases (
                name       TEXT   NOT NULL PRIMARY KEY,
                owner      TEXT   NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE status_documents (
                name       TEXT   NOT NULL PRIMARY KEY,
                document   TEXT   NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
        ]),

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

        new(5, "ACME: renewal windows set by the operator (RFC 9773), certificate replacement claims",
        [
            """
            CREATE TABLE acme_renewal_windows (
                scope      TEXT   NOT NULL,
                target     TEXT   NOT NULL,
                document   TEXT   NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (scope, target)
            )
            """,
            """
            CREATE TABLE acme_replacements (
                certificate_id TEXT    NOT NULL PRIMARY KEY,
                order_id       TEXT    NOT NULL,
                completed      INTEGER NOT NULL,
                claimed_at     BIGINT  NOT NULL,
                expires_at     BIGINT  NOT NULL
            )
            """,
            "CREATE INDEX ix_acme_replacements_expires_at ON acme_replacements (expires_at)",
        ]),

        new(6, "ACME: rate-limit windows; when an account was deactivated (for its removal after a retention period)",
        [
            """
            CREATE TABLE acme_rate_limits (
                bucket      TEXT   NOT NULL PRIMARY KEY,
                taken       BIGINT NOT NULL,
                window_ends BIGINT NOT NULL
            )
            """,
            "CREATE INDEX ix_acme_rate_limits_window_ends ON acme_rate_limits (window_ends)",
            "ALTER TABLE acme_accounts ADD COLUMN deactivated_at BIGINT NULL",
            "CREATE INDEX ix_acme_accounts_deactivated_at ON acme_accounts (deactivated_at)",
        ]),

        new(7, "ACME: self-contained nonces - the key they are MACed with; acme_nonces now holds used nonces, not issued ones",
        [
            """
            CREATE TABLE acme_nonce_key (
                id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                mac_key BLOB   NOT NULL
            )
            """,
            // Rows of issued, unused nonces of the old format would now read as used ones; such nonces fail the MAC
            // check anyway, so they go.
            "DELETE FROM acme_nonces",
        ]),
    ];
}
