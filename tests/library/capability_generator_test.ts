/**
 * scripts/gen_capability.ts reads OpenDAL's `Capability` struct: a line it
 * cannot read stops it, naming the line, instead of dropping a field.
 */
import assert from "node:assert/strict";
import { parseCapability, render } from "../../scripts/gen_capability.ts";

const struct = (fields: string[]) =>
  [
    "pub struct Capability {",
    ...fields,
    "}",
  ].join("\n");

const many = Array.from(
  { length: 60 },
  (_, i) => `    /// Flag ${i}.\n    pub flag_${i}: bool,`,
);

Deno.test("gen_capability reads bools and sizes with their docs", () => {
  const fields = parseCapability(
    struct([
      ...many,
      "    /// Largest part.",
      "    pub max_size: Option<usize>,",
    ]),
  );
  assert.equal(fields.length, 61);
  assert.deepEqual(fields.at(-1), {
    name: "max_size",
    size: true,
    doc: ["Largest part."],
  });
  const ts = render(fields);
  assert.match(ts, /\/\*\* Flag 0\. \*\/\n {2}readonly flag0: boolean;/);
  assert.match(ts, /readonly maxSize\?: number;/);
});

Deno.test("gen_capability stops at a field it cannot read", () => {
  for (
    const line of [
      "    pub wrapped: Option<\n        usize>,",
      "    pub limit: Option<u64>,",
      "    #[serde(default)]",
    ]
  ) {
    assert.throws(
      () => parseCapability(struct([...many, "    /// Doc.", line])),
      /neither a doc comment nor a bool or Option<usize> field/,
      line,
    );
  }
  assert.throws(
    () => parseCapability(struct([...many, "    pub undocumented: bool,"])),
    /field undocumented has no doc/,
  );
});
