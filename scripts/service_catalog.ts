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
  /**
   * Why no real server of this service runs on this machine. Its row in the
   * README's services table says so; it is tested by construction and
   * required options (`tests/config/`) and, where it signs requests, by
   * `tests/cloud/signed_requests_test.ts`.
   */
  noServer?: string;
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
  azdls: {
    name: "Azdls",
    summary: "Azure Data Lake Storage Gen2",
    example: {
      filesystem: "photos",
      endpoint: "https://account.dfs.core.windows.net",
      accountName: "account",
    },
    required: [
      "filesystem",
      "endpoint",
    ],
    noServer: "Azure only: Azurite has no Data Lake (dfs) API",
  },
  azfile: {
    name: "Azfile",
    summary: "Azure Files",
    example: {
      shareName: "photos",
      endpoint: "https://account.file.core.windows.net",
      accountName: "account",
    },
    required: [
      "shareName",
      "endpoint",
    ],
    noServer: "Azure only: Azurite has no Files API",
  },
  b2: {
    name: "B2",
    summary: "Backblaze B2",
    example: {
      bucket: "photos",
      bucketId: "4a48fe8875c6214145260818",
      applicationKeyId: "key-id",
      applicationKey: "key",
    },
    required: [
      "bucket",
      "bucketId",
      "applicationKeyId",
      "applicationKey",
    ],
    noServer: "Backblaze only",
  },
  cos: {
    name: "Cos",
    summary: "Tencent Cloud Object Storage (COS)",
    example: {
      bucket: "photos-1250000000",
      endpoint: "https://cos.ap-guangzhou.myqcloud.com",
    },
    required: [
      "bucket",
      "endpoint",
    ],
    noServer: "Tencent Cloud only",
  },
  "gcs-grpc": {
    name: "GcsGrpc",
    summary: "Google Cloud Storage through its gRPC API",
    example: {
      bucket: "photos",
    },
    required: [
      "bucket",
    ],
    noServer: "Google Cloud only: fake-gcs-server has no gRPC API",
  },
  obs: {
    name: "Obs",
    summary: "Huawei Cloud Object Storage Service (OBS)",
    example: {
      bucket: "photos",
      endpoint: "https://obs.cn-north-4.myhuaweicloud.com",
    },
    required: [
      "bucket",
      "endpoint",
    ],
    noServer: "Huawei Cloud only",
  },
  oss: {
    name: "Oss",
    summary: "Alibaba Cloud Object Storage Service (OSS)",
    example: {
      bucket: "photos",
      endpoint: "https://oss-cn-hangzhou.aliyuncs.com",
    },
    required: [
      "bucket",
      "endpoint",
    ],
    noServer: "Alibaba Cloud only",
  },
  swift: {
    name: "Swift",
    summary: "OpenStack Swift",
    example: {
      endpoint: "https://swift.example.com/v1/AUTH_account",
      container: "photos",
      token: "token",
    },
    required: [
      "endpoint",
    ],
  },
  tos: {
    name: "Tos",
    summary: "Volcengine Tinder Object Storage (TOS)",
    example: {
      bucket: "photos",
      region: "cn-beijing",
    },
    noServer: "Volcengine only",
  },
  upyun: {
    name: "Upyun",
    summary: "UPYUN storage",
    example: {
      bucket: "photos",
      operator: "operator",
      password: "secret",
    },
    required: [
      "bucket",
      "operator",
      "password",
    ],
    noServer: "UPYUN only",
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
  ftp: {
    name: "Ftp",
    summary: "FTP and FTPS servers",
    example: {
      endpoint: "ftp://ftp.example.com",
      user: "backup",
      password: "secret",
    },
    required: [
      "endpoint",
    ],
  },
  webhdfs: {
    name: "Webhdfs",
    summary: "HDFS through its WebHDFS REST API",
    example: {
      endpoint: "http://127.0.0.1:9870",
    },
  },
  "hdfs-native": {
    name: "HdfsNative",
    summary: "HDFS, through a native Rust client (no JVM)",
    example: {
      nameNode: "hdfs://127.0.0.1:9000",
    },
    required: [
      "nameNode",
    ],
  },
  gridfs: {
    name: "Gridfs",
    summary: "MongoDB GridFS",
    example: {
      connectionString: "mongodb://127.0.0.1:27017",
      database: "files",
    },
    required: [
      "connectionString",
      "database",
    ],
  },
  ipfs: {
    name: "Ipfs",
    summary: "read-only access to IPFS content through an HTTP gateway",
    example: {
      endpoint: "https://ipfs.io",
      root: "/ipfs/QmPChd2hVbrJ6bfo3WBcTW4iZnpHm8TEzWkLHmLpXhF68A/",
    },
    required: [
      "endpoint",
      "root",
    ],
  },
  ipmfs: {
    name: "Ipmfs",
    summary: "the mutable file system (MFS) of an IPFS node",
    example: {
      endpoint: "http://127.0.0.1:5001",
    },
  },
  alluxio: {
    name: "Alluxio",
    summary: "an Alluxio cluster, through its REST API",
    example: {
      endpoint: "http://127.0.0.1:39999",
    },
    required: [
      "endpoint",
    ],
    noServer:
      "Alluxio's server jars are on Maven Central, but no master, worker and proxy are set up in scripts/services/ yet",
  },
  goosefs: {
    name: "Goosefs",
    summary: "a GooseFS cluster (Tencent Cloud's data lake accelerator)",
    example: {
      masterAddr: "10.0.0.1:9200",
    },
    noServer: "Tencent Cloud only",
  },
  dbfs: {
    name: "Dbfs",
    summary: "the Databricks File System (DBFS), through its REST API",
    example: {
      endpoint: "https://adb-1234567890123456.7.azuredatabricks.net",
      token: "token",
    },
    required: [
      "endpoint",
    ],
    noServer: "Databricks only",
  },
  lakefs: {
    name: "Lakefs",
    summary: "a lakeFS repository",
    example: {
      endpoint: "http://127.0.0.1:8000",
      repository: "data",
      username: "key-id",
      password: "secret",
    },
    required: [
      "endpoint",
      "repository",
      "username",
      "password",
    ],
    noServer:
      "the Go module proxy refuses lakeFS (github.com/treeverse/lakefs: 403 for its version list and v1.54.0); other registries have only clients",
  },
  "aliyun-drive": {
    name: "AliyunDrive",
    summary: "Aliyun Drive (Alibaba Cloud's personal cloud drive)",
    example: {
      accessToken: "token",
      driveType: "resource",
    },
    noServer: "Aliyun Drive only",
  },
  dropbox: {
    name: "Dropbox",
    summary: "Dropbox",
    example: {
      accessToken: "token",
    },
    noServer: "Dropbox only",
  },
  gdrive: {
    name: "Gdrive",
    summary: "Google Drive",
    example: {
      accessToken: "token",
    },
    noServer: "Google Drive only",
  },
  onedrive: {
    name: "Onedrive",
    summary: "Microsoft OneDrive",
    example: {
      accessToken: "token",
    },
    noServer: "Microsoft OneDrive only",
  },
  koofr: {
    name: "Koofr",
    summary: "Koofr",
    example: {
      endpoint: "https://api.koofr.net",
      email: "me@example.com",
      password: "app-password",
    },
    required: [
      "endpoint",
      "email",
      "password",
    ],
    noServer: "Koofr only",
  },
  pcloud: {
    name: "Pcloud",
    summary: "pCloud",
    example: {
      endpoint: "https://api.pcloud.com",
      username: "me@example.com",
      password: "secret",
    },
    required: [
      "endpoint",
      "username",
      "password",
    ],
    noServer: "pCloud only",
  },
  seafile: {
    name: "Seafile",
    summary: "a Seafile library",
    example: {
      endpoint: "https://seafile.example.com",
      username: "me@example.com",
      password: "secret",
      repoName: "photos",
    },
    required: [
      "endpoint",
      "username",
      "password",
      "repoName",
    ],
    noServer: "no Seafile server in the package registries",
  },
  "yandex-disk": {
    name: "YandexDisk",
    summary: "Yandex Disk",
    example: {
      accessToken: "token",
    },
    required: [
      "accessToken",
    ],
    noServer: "Yandex Disk only",
  },
  github: {
    name: "Github",
    summary: "the contents of a GitHub repository",
    example: {
      owner: "apache",
      repo: "opendal",
      token: "token",
    },
    required: [
      "owner",
      "repo",
    ],
    noServer: "GitHub only",
  },
  ghac: {
    name: "Ghac",
    summary: "the GitHub Actions cache",
    example: {
      endpoint: "https://artifactcache.actions.githubusercontent.com/abc/",
      runtimeToken: "token",
    },
    notes: [
      "Inside a GitHub Actions job, `endpoint` and `runtimeToken` default to the job's",
      "`ACTIONS_CACHE_URL` (or `ACTIONS_RESULTS_URL`) and `ACTIONS_RUNTIME_TOKEN`.",
    ],
    noServer: "GitHub Actions only",
  },
  hf: {
    name: "Hf",
    summary: "a Hugging Face Hub repository (models, datasets, spaces)",
    example: {
      repoType: "model",
      repoId: "openai-community/gpt2",
    },
    required: [
      "repoType",
      "repoId",
    ],
    noServer: "Hugging Face only",
  },
  "vercel-artifacts": {
    name: "VercelArtifacts",
    summary: "the Vercel remote cache (artifacts)",
    example: {
      accessToken: "token",
    },
    required: [
      "accessToken",
    ],
    noServer: "Vercel only",
  },
  "vercel-blob": {
    name: "VercelBlob",
    summary: "Vercel Blob",
    example: {
      token: "token",
    },
    required: [
      "token",
    ],
    noServer: "Vercel only",
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
  mongodb: {
    name: "Mongodb",
    summary: "a MongoDB collection as a key-value store",
    example: {
      connectionString: "mongodb://127.0.0.1:27017",
      database: "app",
      collection: "data",
    },
    required: [
      "connectionString",
      "database",
      "collection",
    ],
    keyValue: true,
  },
  "cloudflare-kv": {
    name: "CloudflareKv",
    summary: "Cloudflare Workers KV",
    example: {
      apiToken: "token",
      accountId: "account",
      namespaceId: "namespace",
    },
    required: [
      "accountId",
      "namespaceId",
    ],
    keyValue: true,
    noServer: "Cloudflare only",
  },
  d1: {
    name: "D1",
    summary: "a Cloudflare D1 table as a key-value store",
    example: {
      token: "token",
      accountId: "account",
      databaseId: "database",
      table: "data",
    },
    required: [
      "accountId",
      "databaseId",
      "table",
    ],
    keyValue: true,
    noServer: "Cloudflare only",
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
  foyer: {
    name: "Foyer",
    summary:
      "a hybrid memory and disk cache in this process (foyer): entries may be evicted",
    example: {
      memory: 67108864,
    },
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
