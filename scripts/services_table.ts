/**
 * Writes the README's services table from a results file of
 * `scripts/test_services.sh` (TSV: service, passed, failed, ignored, note),
 * between the `<!-- services:start -->` and `<!-- services:end -->` markers.
 * A run of some services (`OPENDAL_SERVICES=...`) replaces their rows and
 * keeps the others'. Services no real server runs here for (`noServer` in
 * the catalog) get a row that says so, with the reason.
 *
 * @module
 */

import { CATALOG } from "./service_catalog.ts";

/** The server each service is tested against. */
const SERVERS: Record<string, [module: string, server: string]> = {
  fs: ["fs", "the local filesystem"],
  memory: ["memory", "in process"],
  dashmap: ["dashmap", "in process"],
  "mini-moka": ["mini-moka", "in process"],
  moka: ["moka", "in process"],
  foyer: ["foyer", "in process"],
  cacache: ["cacache", "in process, a temporary directory"],
  persy: ["persy", "in process, a file in a temporary directory"],
  redb: ["redb", "in process, a file in a temporary directory"],
  sled: ["sled", "in process, a temporary directory"],
  s3: ["s3", "moto server (PyPI `moto[server]`)"],
  s3rver: ["s3", "s3rver (npm), a second S3 implementation"],
  azblob: ["azblob", "Azurite (npm)"],
  gcs: ["gcs", "fake-gcs-server (Go)"],
  webdav: ["webdav", "nginx with dav-ext (apt)"],
  http: ["http", "nginx serving read-only fixtures (apt)"],
  sftp: ["sftp", "OpenSSH sshd (apt)"],
  ftp: [
    "ftp",
    "vsftpd 3.0.3 (apt); known gaps of the service: a list leaves out the dir itself, so a recursive list misses empty dirs",
  ],
  redis: ["redis", "redis-server (apt)"],
  postgresql: ["postgresql", "PostgreSQL 15 (apt)"],
  mysql: ["mysql", "MariaDB 10.11 (apt)"],
  sqlite: ["sqlite", "SQLite file (bundled driver)"],
  memcached: ["memcached", "memcached (apt)"],
  etcd: ["etcd", "etcd 3.4 (apt)"],
  // From here on, in the full run (.ci/full) only: their servers take minutes
  // to build or their suites minutes to run (FULL_ONLY_SERVICES in .ci/run).
  swift: [
    "swift",
    "OpenStack Swift 2.38 (PyPI `swift`), one node with tempauth, in the full run",
  ],
  ipfs: ["ipfs", "kubo 0.43 gateway, read-only fixtures (Go), in the full run"],
  ipmfs: ["ipmfs", "kubo 0.43 RPC API (Go), in the full run"],
  gridfs: [
    "gridfs",
    "FerretDB 1.24 (Go) over PostgreSQL 15 (apt), in the full run",
  ],
  mongodb: [
    "mongodb",
    "FerretDB 1.24 (Go) over PostgreSQL 15 (apt), in the full run; known gaps of the server: FerretDB 1 has no `$binarySize`, which OpenDAL's mongodb stat uses, so every case that stats",
  ],
  webhdfs: [
    "webhdfs",
    "Hadoop 3.4 MiniDFSCluster (Maven Central), in the full run",
  ],
  "hdfs-native": [
    "hdfs-native",
    "Hadoop 3.4 MiniDFSCluster (Maven Central), in the full run",
  ],
};

const [file] = Deno.args;
const results = new Map(
  (await Deno.readTextFile(file)).trim().split("\n").filter(Boolean)
    .map((line) => line.split("\t"))
    .map(([service, ...cells]) => [service, cells]),
);

/** A Markdown table row's cells, trimmed (`deno fmt` pads them). */
const cellsOf = (row: string) =>
  row.split("|").slice(1, -1).map((c) => c.trim());

const readme = new URL("../README.md", import.meta.url);
const text = await Deno.readTextFile(readme);
const start = "<!-- services:start -->";
const end = "<!-- services:end -->";
const [before, rest] = text.split(start);
if (rest === undefined) throw new Error(`README.md has no ${start} marker`);
const [current, after = ""] = rest.split(end);
// A row's first two cells, the module and the server, name its service.
const kept = current.split("\n").filter((l) => l.startsWith("| `services/"))
  .map(cellsOf);

const unknown = [...results.keys()].filter((s) => !(s in SERVERS));
if (unknown.length) throw new Error(`no server known for ${unknown}`);
const table = [
  "| module | tested against | behavior cases passed | failed | skipped (capability or known gap) |",
  "| --- | --- | ---: | ---: | ---: |",
  ...Object.entries(SERVERS).flatMap(([service, [module, server]]) => {
    const first = [`\`services/${module}\``, server];
    const cells = results.get(service);
    if (!cells) {
      return kept.filter(([m, s]) => m === first[0] && s === first[1])
        .map((row) => `| ${row.join(" | ")} |`);
    }
    const [passed, failed, ignored, note] = cells;
    const failures = note ? `${failed} (${note})` : failed;
    return [`| ${[...first, passed, failures, ignored].join(" | ")} |`];
  }),
  ...Object.entries(CATALOG).flatMap(([scheme, { noServer }]) =>
    noServer
      ? [
        `| \`services/${scheme}\` | not tested against a real server (${noServer}) | — | — | — |`,
      ]
      : []
  ),
].join("\n");

await Deno.writeTextFile(
  readme,
  `${before}${start}\n${table}\n${end}${after}`,
);
// Keep the README as `deno fmt` writes it, so the check step stays clean.
await new Deno.Command("deno", { args: ["fmt", "--quiet", readme.pathname] })
  .output();
console.log(table);
