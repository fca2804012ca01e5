// Loaded into Azurite by the bench (NODE_OPTIONS=--require) unless --azurite-gc on is given.
// Azurite sweeps unreferenced queue and blob extents every minute (blobs: every ten), and removes
// each one from a LokiJS collection that rebuilds its indexes on every removal: after a few thousand
// messages a sweep blocks Azurite's only thread for tens of seconds, stalling whichever phase it lands
// in. Azure Storage has no such pause, so the bench defers the sweeps past the run. Fails loudly when
// this Azurite is laid out differently, rather than measure with the pauses unnoticed.
"use strict";
const fs = require("fs");
const path = require("path");
const source = path.dirname(fs.realpathSync(process.argv[1]));
const day = 24 * 60 * 60 * 1000;
for (const service of ["queue", "blob"]) {
  const constants = require(path.join(source, service, "utils", "constants.js"));
  if (typeof constants.DEFAULT_GC_INTERVAL_MS !== "number") {
    throw new Error(`azurite-defer-gc: ${service}/utils/constants.js has no DEFAULT_GC_INTERVAL_MS`);
  }
  constants.DEFAULT_GC_INTERVAL_MS = day;
}
