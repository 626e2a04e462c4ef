// Builds the console into dist/ (committed, embedded into the gateway at compile time), or into the
// directory given with --out DIR, and, with --tests, the browser tests into .test-build/ (not committed).
// The output depends only on the sources and the locked packages, so a rebuild of an unchanged console
// is byte for byte the committed one (test.sh checks that).
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv.indexOf("--out");
const dist = out > 0 && process.argv[out + 1] ? process.argv[out + 1] : join(here, "dist");

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: { console: join(here, "src/main.ts") },
  outdir: dist,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome120", "firefox120", "safari17"],
  legalComments: "none",
  charset: "utf8",
  logLevel: "warning",
});
await copyFile(join(here, "src/index.html"), join(dist, "index.html"));
await copyFile(join(here, "src/icon.svg"), join(dist, "icon.svg"));

if (process.argv.includes("--tests")) {
  const tests = join(here, ".test-build");
  await rm(tests, { recursive: true, force: true });
  await build({
    entryPoints: [join(here, "test/console.test.ts")],
    outfile: join(tests, "console.test.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // The test drives Chromium through playwright-core and calls kubegate with the repository's TypeScript
    // client; packages stay in node_modules (the client's too, resolved from this folder).
    packages: "external",
    nodePaths: [join(here, "node_modules")],
    sourcemap: "inline",
    logLevel: "warning",
  });
}
