/**
 * Fills in a content type from the file extension.
 *
 * @example
 * ```ts
 * import { MemoryOperator } from "@opendal/core/services/memory";
 * import { MimeGuessLayer } from "@opendal/core/layers/mime_guess";
 *
 * using op = new MemoryOperator().layer(new MimeGuessLayer());
 * await op.write("page.html", "<p>hi</p>");
 * ```
 *
 * @module
 */

import { Layer, LayerKind } from "../src/layer.ts";

/**
 * Sets the content type of writes (and fills it into `stat` results) from
 * the path's extension, when none was given: `a.json` becomes
 * `application/json`. An explicit `contentType` always wins.
 *
 * @example
 * ```ts
 * import { FsOperator } from "@opendal/core/services/fs";
 * import { MimeGuessLayer } from "@opendal/core/layers/mime_guess";
 *
 * using op = new FsOperator({ root: await Deno.makeTempDir() })
 *   .layer(new MimeGuessLayer());
 * await op.write("data.json", "{}");
 * console.log((await op.stat("data.json")).contentType); // application/json
 * ```
 */
export class MimeGuessLayer extends Layer {
  /** Builds the layer. */
  constructor() {
    super(LayerKind.MimeGuess, () => {});
  }
}
