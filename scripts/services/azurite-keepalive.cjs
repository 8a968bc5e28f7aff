// Preloaded into Azurite (NODE_OPTIONS=--require): idle keep-alive
// connections stay open for 120 s instead of Azurite's 5 s. A client's pool
// keeps an idle connection longer than 5 s (reqwest: 90 s), so a request
// sent as Azurite closed that connection failed with "connection reset by
// peer" now and then, failing whichever test it hit. Azurite 3.37's own
// --blobKeepAliveTimeout flag has no effect (it reads another flag's value).
"use strict";
const http = require("node:http");

Object.defineProperty(http.Server.prototype, "keepAliveTimeout", {
  configurable: true,
  get() {
    return 120_000;
  },
  set(_ignored) {},
});
