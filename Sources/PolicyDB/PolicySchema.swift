/// The policy database's schema, as numbered migrations. The switch and `vmready policy`
/// both run `migrate`: each missing step in its own transaction, the version row updated in
/// the same transaction, so a crash leaves the database at a whole version.
///
/// No CHECK constraints on values: operators write rows with psql, and a row the switch
/// cannot use must stay visible to be reported (the client validates every row it reads).
enum PolicySchema {
    /// Step N takes the database from version N-1 to N.
    static let migrations: [[String]] = [
        // 1: the tables.
        [
            """
            CREATE TABLE profiles (
                name text PRIMARY KEY,
                vlan integer NOT NULL,
                tagged boolean NOT NULL DEFAULT false,
                shaping_average integer, shaping_burst integer, shaping_peak integer,
                eshaping_average integer, eshaping_burst integer, eshaping_peak integer,
                acls integer[] NOT NULL DEFAULT '{}')
            """,
            """
            CREATE TABLE assignments (
                kind text NOT NULL,
                key text NOT NULL,
                profile text NOT NULL REFERENCES profiles(name) ON DELETE CASCADE ON UPDATE CASCADE,
                PRIMARY KEY (kind, key))
            """,
            """
            CREATE TABLE vsi_types (
                type_id integer NOT NULL,
                version integer NOT NULL,
                profile text NOT NULL REFERENCES profiles(name) ON DELETE CASCADE ON UPDATE CASCADE,
                PRIMARY KEY (type_id, version))
            """,
            "CREATE TABLE switches (id text PRIMARY KEY, hostname text NOT NULL, last_seen timestamptz NOT NULL DEFAULT now())",
            """
            CREATE TABLE vm_locations (
                mac text PRIMARY KEY,
                name text,
                switch_id text NOT NULL,
                port text NOT NULL,
                vlan integer,
                since timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX vm_locations_name ON vm_locations (name)",
        ],
        // 2: every change to what switches apply is announced on channel vmready_policy, with
        // the table and the key as JSON: switches LISTEN instead of polling. Statement-level
        // triggers would say less; row-level ones name the key.
        [
            """
            CREATE FUNCTION vmready_policy_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                changed record;
                row_key text;
            BEGIN
                IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
                -- One branch per table: PL/pgSQL resolves a field only when its statement runs.
                IF TG_TABLE_NAME = 'profiles' THEN
                    row_key := changed.name;
                ELSIF TG_TABLE_NAME = 'assignments' THEN
                    row_key := changed.kind || ' ' || changed.key;
                ELSE
                    row_key := changed.type_id::text || ' ' || changed.version::text;
                END IF;
                PERFORM pg_notify('vmready_policy', json_build_object('table', TG_TABLE_NAME, 'key', row_key)::text);
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER profiles_notify AFTER INSERT OR UPDATE OR DELETE ON profiles FOR EACH ROW EXECUTE FUNCTION vmready_policy_notify()",
            "CREATE TRIGGER assignments_notify AFTER INSERT OR UPDATE OR DELETE ON assignments FOR EACH ROW EXECUTE FUNCTION vmready_policy_notify()",
            "CREATE TRIGGER vsi_types_notify AFTER INSERT OR UPDATE OR DELETE ON vsi_types FOR EACH ROW EXECUTE FUNCTION vmready_policy_notify()",
            // TRUNCATE has no rows: one notification for the table.
            """
            CREATE FUNCTION vmready_policy_notify_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('vmready_policy', json_build_object('table', TG_TABLE_NAME, 'key', NULL)::text);
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER profiles_notify_truncate AFTER TRUNCATE ON profiles FOR EACH STATEMENT EXECUTE FUNCTION vmready_policy_notify_truncate()",
            "CREATE TRIGGER assignments_notify_truncate AFTER TRUNCATE ON assignments FOR EACH STATEMENT EXECUTE FUNCTION vmready_policy_notify_truncate()",
            "CREATE TRIGGER vsi_types_notify_truncate AFTER TRUNCATE ON vsi_types FOR EACH STATEMENT EXECUTE FUNCTION vmready_policy_notify_truncate()",
        ],
    ]

    static var currentVersion: Int { migrations.count }

    /// The one channel every switch listens on.
    static let channel = "vmready_policy"

    /// The version table: one row, created before the first migration.
    static let versionTable = "CREATE TABLE IF NOT EXISTS vmready_schema (one boolean PRIMARY KEY DEFAULT true, version integer NOT NULL)"
}
