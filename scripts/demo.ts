/**
 * A short tour of the module on the memory service and a temporary fs root.
 * Run with `deno task demo`.
 *
 * @module
 */

import { OpendalError } from "@opendal/core";
import { FsOperator } from "@opendal/core/services/fs";
import { MemoryOperator } from "@opendal/core/services/memory";

using memory = new MemoryOperator();
await memory.write("greeting.txt", "Hello from OpenDAL!");
console.log(
  `memory: wrote greeting.txt, read back "${await memory.readText(
    "greeting.txt",
  )}"`,
);

const root = await Deno.makeTempDir({ prefix: "opendal-demo-" });
using fs = new FsOperator({ root });
try {
  for (const name of ["a.txt", "b.txt", "sub/c.txt"]) {
    await fs.write(`docs/${name}`, `content of ${name}`);
  }
  console.log(`fs (${root}): wrote 3 files under docs/`);

  const meta = await fs.stat("docs/a.txt");
  console.log(
    `fs: stat docs/a.txt -> ${meta.mode}, ${meta.contentLength} bytes, modified ${meta.lastModified?.toISOString()}`,
  );

  const paths = [];
  for await (const entry of fs.list("docs/", { recursive: true })) {
    paths.push(entry.path);
  }
  console.log(`fs: list docs/ recursively -> ${paths.sort().join(", ")}`);

  await fs.copy("docs/a.txt", "docs/a-copy.txt");
  await fs.rename("docs/b.txt", "docs/b-renamed.txt");
  console.log(
    `fs: copied a.txt, renamed b.txt; b.txt exists: ${await fs.exists(
      "docs/b.txt",
    )}`,
  );

  const bytes = fs.readSync("docs/sub/c.txt", { offset: 11, length: 5 });
  console.log(
    `fs: range read of sub/c.txt [11, 16) -> "${
      new TextDecoder().decode(bytes)
    }"`,
  );

  // Copy between services through streams.
  await using reader = await fs.reader("docs/a-copy.txt");
  await memory.write("from-fs.txt", reader.readable);
  console.log(
    `memory: streamed from fs -> "${await memory.readText("from-fs.txt")}"`,
  );

  try {
    await fs.read("docs/missing.txt");
  } catch (e) {
    if (e instanceof OpendalError) {
      console.log(
        `fs: reading a missing file -> ${e.kind} (Deno.errors.NotFound: ${
          e instanceof Deno.errors.NotFound
        })`,
      );
    }
  }
} finally {
  await Deno.remove(root, { recursive: true });
}
