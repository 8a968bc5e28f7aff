/**
 * How the command-line tool names the paths in an error: as the user typed
 * the argument each is under, not as the service sees them.
 */
import assert from "node:assert/strict";
import { Context, type Flags } from "../../src/cli/command.ts";
import { opendalError } from "../../src/errors.ts";
import { naming } from "../../src/failure.ts";

const FLAGS: Flags = {
  json: false,
  recursive: false,
  long: false,
  force: false,
  verbose: false,
  expire: 3600,
  options: {},
};

/** The error a failed `operation` on `paths` throws. */
function failed(operation: string, path: string, target?: string) {
  return opendalError(
    "NotFound",
    `gone${naming(operation, target === undefined ? [path] : [path, target])}`,
    { operation, path, target },
  );
}

Deno.test("each path is shown under the argument that holds it most closely", () => {
  using ctx = new Context(FLAGS);
  ctx.open("/data/in/");
  ctx.open("memory:///out/");
  assert.equal(
    ctx.messageOf(failed("copyTo", "data/in/a.txt", "out/a.txt")),
    'gone: copyTo "/data/in/a.txt" -> "memory:///out/a.txt"',
  );
  assert.equal(
    ctx.messageOf(failed("read", "data/in/a.txt")),
    'gone: read "/data/in/a.txt"',
  );
});

Deno.test("a path two arguments would show differently, or none holds, stays as the service saw it", () => {
  using ctx = new Context(FLAGS);
  ctx.open("/same/");
  ctx.open("memory:///same/");
  assert.equal(
    ctx.messageOf(failed("stat", "same/x")),
    'gone: stat "same/x"',
  );
  using other = new Context(FLAGS);
  other.open("/a/b");
  assert.equal(other.messageOf(failed("stat", "c/d")), 'gone: stat "c/d"');
  // Not an error of the module: its message as it is.
  assert.equal(other.messageOf(new Error("plain")), "plain");
});
