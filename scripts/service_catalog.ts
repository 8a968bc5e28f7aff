/**
 * What `scripts/gen_services.ts` cannot read from the service crates, for
 * every service the library builds: a one-line summary, example options and
 * the options construction cannot do without. `scripts/capability_matrix.ts`
 * opens each service from its example to write the README's matrix, and
 * `tests/config/` checks each required option.
 *
 * @module
 */

/** A value an example option takes. */
export type ExampleValue = string | number | boolean;

/** One service. */
export interface ServiceEntry {
  /** The class name prefix: `S3` gives `S3Operator` and `S3Options`. */
  name: string;
  /** What the service is, for the module doc and the README. */
  summary: string;
  /**
   * Options that construct the operator (camelCase): the module's example,
   * and what the matrix and the tests construct it with. Construction never
   * connects, so the values only need to be well formed.
   */
  example: Record<string, ExampleValue>;
  /**
   * Options construction fails without (each one is tested), required in
   * the type even where OpenDAL's config field is an `Option`.
   */
  required?: string[];
  /**
   * The example writes and reads a file on this machine with nothing else
   * running, so `deno test --doc` runs it. A `TEMP_DIR` value is then a
   * fresh temporary directory (or a path in one).
   */
  runnable?: boolean;
  /** Only reads: the example checks a path instead of writing one. */
  readOnly?: boolean;
  /** A key-value store: keys are paths, and directories are only prefixes. */
  keyValue?: boolean;
  /** Extra paragraphs for the module doc. */
  notes?: string[];
}

/**
 * The placeholder of an example value that becomes a temporary directory,
 * alone or leading a path in it (`${TEMP_DIR}/data.redb`).
 */
export const TEMP_DIR = "$TEMP_DIR";

/** Whether an example value is (or is a path in) the temporary directory. */
export function usesTempDir(value: ExampleValue): value is string {
  return typeof value === "string" &&
    (value === TEMP_DIR || value.startsWith(`${TEMP_DIR}/`));
}

/** An example value with the temporary directory `dir` in place. */
export function inTempDir(value: ExampleValue, dir: string): ExampleValue {
  return usesTempDir(value) ? dir + value.slice(TEMP_DIR.length) : value;
}

/** Every service the library builds, by scheme, in the README's order. */
export const CATALOG: Record<string, ServiceEntry> = {
  fs: {
    name: "Fs",
    summary: "the local filesystem",
    example: { root: TEMP_DIR },
    required: ["root"],
    runnable: true,
  },
  memory: {
    name: "Memory",
    summary: "memory owned by the operator: handy for tests and caches",
    example: {},
    runnable: true,
  },
  s3: {
    name: "S3",
    summary: "Amazon S3 and S3-compatible object stores",
    example: { bucket: "photos", region: "us-east-1" },
    required: ["bucket"],
  },
  azblob: {
    name: "Azblob",
    summary: "Azure Blob Storage",
    example: {
      container: "photos",
      endpoint: "https://account.blob.core.windows.net",
    },
    required: ["container", "endpoint"],
  },
  gcs: {
    name: "Gcs",
    summary: "Google Cloud Storage",
    example: { bucket: "photos" },
    required: ["bucket"],
  },
  http: {
    name: "Http",
    summary: "read-only access to files served over HTTP",
    example: { endpoint: "https://example.com/files/" },
    required: ["endpoint"],
    readOnly: true,
  },
  webdav: {
    name: "Webdav",
    summary: "WebDAV servers",
    example: { endpoint: "https://dav.example.com" },
    required: ["endpoint"],
  },
  sftp: {
    name: "Sftp",
    summary: "SFTP servers (through the system's `ssh` client)",
    example: { endpoint: "ssh://backup.example.com", user: "backup" },
    required: ["endpoint"],
  },
  redis: {
    name: "Redis",
    summary: "Redis as a key-value store",
    example: { endpoint: "tcp://127.0.0.1:6379" },
    keyValue: true,
  },
  postgresql: {
    name: "Postgresql",
    summary: "a PostgreSQL table as a key-value store",
    example: {
      connectionString: "postgresql://user:password@127.0.0.1:5432/db",
      table: "data",
    },
    required: ["connectionString", "table"],
    keyValue: true,
  },
  mysql: {
    name: "Mysql",
    summary: "a MySQL or MariaDB table as a key-value store",
    example: {
      connectionString: "mysql://user:password@127.0.0.1:3306/db",
      table: "data",
    },
    required: ["connectionString", "table"],
    keyValue: true,
  },
  sqlite: {
    name: "Sqlite",
    summary: "an SQLite table as a key-value store",
    example: {
      connectionString: "sqlite:///var/data/store.db",
      table: "data",
    },
    required: ["connectionString", "table"],
    keyValue: true,
    notes: [
      "The table must exist: nothing is created for you, so a typo cannot make",
      "a new table. With the default column names:",
      "",
      "```sql",
      "CREATE TABLE data (key TEXT PRIMARY KEY NOT NULL, value BLOB);",
      "```",
      "",
      "The database file must exist too, unless the connection string asks SQLite",
      "to create it: `sqlite:///var/data/store.db?mode=rwc`.",
    ],
  },
  memcached: {
    name: "Memcached",
    summary: "memcached as a key-value store",
    example: { endpoint: "tcp://127.0.0.1:11211" },
    required: ["endpoint"],
    keyValue: true,
  },
  etcd: {
    name: "Etcd",
    summary: "etcd as a key-value store",
    example: { endpoints: "http://127.0.0.1:2379" },
    keyValue: true,
  },
  dashmap: {
    name: "Dashmap",
    summary: "a concurrent hash map in memory, owned by the operator",
    example: {},
    runnable: true,
    keyValue: true,
  },
  "mini-moka": {
    name: "MiniMoka",
    summary: "an in-memory cache (mini-moka) owned by the operator",
    example: { maxCapacity: 64 * 1024 * 1024 },
    runnable: true,
    keyValue: true,
  },
  moka: {
    name: "Moka",
    summary: "a concurrent in-memory cache (moka) owned by the operator",
    example: { maxCapacity: 64 * 1024 * 1024 },
    runnable: true,
    keyValue: true,
  },
  cacache: {
    name: "Cacache",
    summary: "a content-addressable cache on disk (cacache), in one directory",
    example: { datadir: TEMP_DIR },
    required: ["datadir"],
    runnable: true,
    keyValue: true,
  },
  persy: {
    name: "Persy",
    summary: "an embedded transactional store (persy), in one file",
    example: {
      datafile: `${TEMP_DIR}/data.persy`,
      segment: "data",
      index: "index",
    },
    required: ["datafile", "segment", "index"],
    runnable: true,
    keyValue: true,
    notes: [
      "The file is locked while an operator has it open: one operator per",
      "file in a process.",
    ],
  },
  redb: {
    name: "Redb",
    summary: "an embedded key-value database (redb), in one file",
    example: { datadir: `${TEMP_DIR}/data.redb`, table: "data" },
    required: ["datadir", "table"],
    runnable: true,
    keyValue: true,
    notes: [
      "`datadir` is the database file. It is locked while an operator has it",
      "open: one operator per file in a process.",
    ],
  },
  sled: {
    name: "Sled",
    summary: "an embedded key-value database (sled), in one directory",
    example: { datadir: TEMP_DIR },
    required: ["datadir"],
    runnable: true,
    keyValue: true,
    notes: [
      "The directory is locked while an operator has it open: one operator",
      "per directory in a process.",
    ],
  },
};
