// Preloaded into s3rver (NODE_OPTIONS=--require): a PUT is answered only
// once its bytes are on disk. s3rver 3.7.1's putObject and putPart resolve
// when the request body has passed through their hashing stream, before the
// file's write stream has finished; about 1 PUT in 100 was answered early,
// and a stat or read sent at once then saw a short object now and then
// (a behavior case failed on contentLength once in a gate run).
"use strict";
const { AsyncLocalStorage } = require("node:async_hooks");
const { createRequire } = require("node:module");
const { realpathSync } = require("node:fs");

// argv[1] is s3rver's bin script (through node_modules/.bin); the store and
// its fs-extra are resolved from there, so these are the instances it uses.
const fromBin = createRequire(realpathSync(process.argv[1]));
const storePath = fromBin.resolve("../lib/stores/filesystem");
const FilesystemStore = require(storePath);
const fs = createRequire(storePath)("fs-extra");

// The write streams a store call opens, kept per call.
const opened = new AsyncLocalStorage();

const createWriteStream = fs.createWriteStream;
fs.createWriteStream = function (...args) {
  const stream = createWriteStream.apply(this, args);
  // "close" follows "finish" and follows an error too.
  opened.getStore()?.push(
    new Promise((resolve) => stream.once("close", resolve)),
  );
  return stream;
};

for (const method of ["putObject", "putPart"]) {
  const original = FilesystemStore.prototype[method];
  FilesystemStore.prototype[method] = function (...args) {
    const closed = [];
    return opened.run(closed, async () => {
      const result = await original.apply(this, args);
      await Promise.all(closed);
      return result;
    });
  };
}
