// Runs workbox-build's injectManifest with the options given as JSON on stdin; prints {count, size, warnings} as JSON.
// Called by build_tools/offline_app/workbox.py; workbox-build is installed by `make setup` (npm ci).
"use strict";
let workbox;
try {
  workbox = require("workbox-build");
} catch (error) {
  process.stderr.write("workbox-build is not installed\n");
  process.exit(3);
}
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  try {
    const { count, size, warnings } = await workbox.injectManifest(JSON.parse(input));
    process.stdout.write(JSON.stringify({ count, size, warnings }));
  } catch (error) {
    process.stderr.write(String(error && error.message || error) + "\n");
    process.exit(1);
  }
});
