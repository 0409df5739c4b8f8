#!/usr/bin/env node
// Ties the generated artefacts to the grammar they came from.
//   node scripts/stamp.js write   after `tree-sitter generate` and the wasm build
//   node scripts/stamp.js check   in tests/CI: fails when grammar.js changed but src/ or the wasm did not
// The stamp records a hash of each input and output; editing grammar.js without regenerating,
// or regenerating without rebuilding the wasm, leaves a mismatch that `check` reports.
"use strict";
const { createHash } = require("crypto");
const { readFileSync, writeFileSync } = require("fs");
const { join } = require("path");

const root = join(__dirname, "..");
const STAMP = join(root, "src", "generated.stamp.json");
const TRACKED = ["grammar.js", "src/grammar.json", "src/parser.c", "tree-sitter-pf.wasm"];

function hashes() {
  const out = {};
  for (const file of TRACKED) {
    out[file] = createHash("sha256").update(readFileSync(join(root, file))).digest("hex");
  }
  return out;
}

const mode = process.argv[2];
if (mode === "write") {
  writeFileSync(STAMP, JSON.stringify(hashes(), null, 2) + "\n");
  console.log(`wrote ${STAMP}`);
} else if (mode === "check") {
  const want = JSON.parse(readFileSync(STAMP, "utf8"));
  const have = hashes();
  const stale = TRACKED.filter((f) => want[f] !== have[f]);
  if (stale.length) {
    console.error(`generated files are stale (changed since the last stamp): ${stale.join(", ")}`);
    console.error("run: npm run generate -w tree-sitter-pf && npm run build:wasm -w tree-sitter-pf, then stamp");
    process.exit(1);
  }
  console.log("generated parser and wasm match grammar.js");
} else {
  console.error("usage: stamp.js write|check");
  process.exit(2);
}
