// Creates a blob container in Azurite with a SharedKey-signed request.
// Azurite's npm package ships no storage SDK and `az` is not installed, so
// this signs the one "Create Container" call by hand (node built-ins only).
// Usage: node azurite-container.mjs <endpoint> <account> <base64-key> <name>
import { createHmac } from "node:crypto";

const [endpoint, account, key, container] = process.argv.slice(2);
const date = new Date().toUTCString();
const version = "2021-08-06";
// The string to sign for a PUT without body: 11 empty standard headers,
// the x-ms-* headers, then /<account>/<path> and the query parameters.
const path = new URL(`${endpoint}/${container}`).pathname;
const toSign = [
  "PUT",
  ...Array(11).fill(""),
  `x-ms-date:${date}`,
  `x-ms-version:${version}`,
  `/${account}${path}\nrestype:container`,
].join("\n");
const signature = createHmac("sha256", Buffer.from(key, "base64"))
  .update(toSign, "utf8")
  .digest("base64");

const res = await fetch(`${endpoint}/${container}?restype=container`, {
  method: "PUT",
  headers: {
    "x-ms-date": date,
    "x-ms-version": version,
    authorization: `SharedKey ${account}:${signature}`,
  },
});
// 201 Created, or 409 when it already exists: both leave the container there.
if (res.status !== 201 && res.status !== 409) {
  console.error(`create container ${container}: HTTP ${res.status}`);
  console.error(await res.text());
  process.exit(1);
}
