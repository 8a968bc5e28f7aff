/**
 * Writes the README's services table from a results file of
 * `scripts/test_services.sh` (TSV: service, passed, failed, ignored, note),
 * between the `<!-- services:start -->` and `<!-- services:end -->` markers.
 *
 * @module
 */

/** The server each service is tested against. */
const SERVERS: Record<string, [module: string, server: string]> = {
  fs: ["fs", "the local filesystem"],
  memory: ["memory", "in process"],
  s3: ["s3", "moto server (PyPI `moto[server]`)"],
  s3rver: ["s3", "s3rver (npm), a second S3 implementation"],
  azblob: ["azblob", "Azurite (npm)"],
  gcs: ["gcs", "fake-gcs-server (Go)"],
  webdav: ["webdav", "nginx with dav-ext (apt)"],
  http: ["http", "nginx serving read-only fixtures (apt)"],
  sftp: ["sftp", "OpenSSH sshd (apt)"],
  redis: ["redis", "redis-server (apt)"],
  postgresql: ["postgresql", "PostgreSQL 15 (apt)"],
  mysql: ["mysql", "MariaDB 10.11 (apt)"],
  sqlite: ["sqlite", "SQLite file (bundled driver)"],
  memcached: ["memcached", "memcached (apt)"],
  etcd: ["etcd", "etcd 3.4 (apt)"],
};

const [file] = Deno.args;
const rows = (await Deno.readTextFile(file)).trim().split("\n").filter(Boolean)
  .map((line) => line.split("\t"));
const table = [
  "| module | tested against | behavior cases passed | failed | skipped (capability or known gap) |",
  "| --- | --- | ---: | ---: | ---: |",
  ...rows.map(([service, passed, failed, ignored, note]) => {
    const [module, server] = SERVERS[service] ?? [service, "?"];
    const failures = note ? `${failed} (${note})` : failed;
    return `| \`services/${module}\` | ${server} | ${passed} | ${failures} | ${ignored} |`;
  }),
].join("\n");

const readme = new URL("../README.md", import.meta.url);
const text = await Deno.readTextFile(readme);
const start = "<!-- services:start -->";
const end = "<!-- services:end -->";
const [before, rest] = text.split(start);
if (rest === undefined) throw new Error(`README.md has no ${start} marker`);
const after = rest.split(end)[1] ?? "";
await Deno.writeTextFile(
  readme,
  `${before}${start}\n${table}\n${end}${after}`,
);
// Keep the README as `deno fmt` writes it, so the check step stays clean.
await new Deno.Command("deno", { args: ["fmt", "--quiet", readme.pathname] })
  .output();
console.log(table);
