// Builds the app into dist/ (or the directory given as the first argument):
// hashed, minified assets under assets/ and an index.html that names them.
// esbuild's output is deterministic, so `make web-check` rebuilds into a
// temporary directory and compares it with the committed dist/.
import * as esbuild from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

const out = process.argv[2] ?? "dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "assets"), { recursive: true });

// Sparrow's voice calls use the SDK's WebSocket connection (the signed URL).
// Its WebRTC connection needs livekit-client, 470 KB of JavaScript that would
// never run: it is replaced by a stub that refuses WebRTC.
const noWebRTC = {
  name: "no-webrtc",
  setup(b) {
    b.onResolve({ filter: /^livekit-client$/ }, () => ({ path: "livekit-client", namespace: "stub" }));
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents: `const no = () => { throw new Error("WebRTC voice is not built into Sparrow; use the WebSocket connection"); };
export class Room { constructor() { no(); } }
export const RoomEvent = {}, Track = { Kind: {}, Source: {} }, ConnectionState = {};
export const createLocalAudioTrack = no;`,
      loader: "js",
    }));
  },
};

const result = await esbuild.build({
  plugins: [noWebRTC],
  entryPoints: ["src/main.tsx"],
  bundle: true,
  splitting: true, // the voice SDK is loaded only when a voice call starts
  format: "esm",
  target: ["es2022"],
  minify: true,
  legalComments: "none",
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir: join(out, "assets"),
  entryNames: "[name]-[hash]",
  chunkNames: "chunk-[hash]",
  assetNames: "[name]-[hash]",
  metafile: true,
  logLevel: "warning",
});

let js = "", css = "";
for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  if (meta.entryPoint === "src/main.tsx" && file.endsWith(".js")) js = basename(file);
  if (file.endsWith(".css")) css = basename(file);
}
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="sparrow-config" content="{}">
<title>Sparrow: practise sales calls</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${css}">
<script type="module" src="/assets/${js}"></script>
</head>
<body>
<div id="app"><p class="boot">Loading Sparrow…</p></div>
<noscript>Sparrow needs JavaScript to run in the browser.</noscript>
</body>
</html>
`;
writeFileSync(join(out, "index.html"), html);
