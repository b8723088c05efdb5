// Runs ruff (compiled to WebAssembly, from npm) with its default rules over the files listed in
// argv[2], one after the other, and prints how many files and diagnostics it saw.
"use strict";
const fs = require("fs");
const path = require("path");
const { Workspace, PositionEncoding } = require(path.join(
  process.argv[3],
  "node_modules/@astral-sh/ruff-wasm-nodejs/ruff_wasm.js"));

const workspace = new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf8);
const files = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
let diagnostics = 0;
for (const file of files) {
  try {
    diagnostics += workspace.check(fs.readFileSync(file, "utf8")).length;
  } catch (e) {
    // ruff reports what it cannot parse as diagnostics; anything thrown is counted as one.
    diagnostics += 1;
  }
}
console.log(`${files.length} files, ${diagnostics} diagnostics`);
