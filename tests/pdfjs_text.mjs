// Text of PDFs as pdf.js (Firefox's viewer) extracts it for copy and find: the items of each page's
// getTextContent() joined, a newline where an item ends a line, a form feed between pages.
// Usage: node tests/pdfjs_text.mjs a.pdf [b.pdf::N …] — prints one JSON object {argument: text}; "::N" reads
// pages 1 to N only.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

// pdfjs-dist is a devDependency of the project root (package.json), resolved from there whatever the cwd.
const require = createRequire(path.join(path.dirname(new URL(import.meta.url).pathname), "..", "package.json"));
const pdfjs = await import(pathToFileURL(require.resolve("pdfjs-dist/legacy/build/pdf.mjs")).href);

async function pdfText(file, last) {
  const data = new Uint8Array(await readFile(file));
  const document = await pdfjs.getDocument({ data, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages = [];
  try {
    for (let number = 1; number <= Math.min(last, document.numPages); number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str;
        if (item.hasEOL) text += "\n";
      }
      pages.push(text);
      page.cleanup();
    }
  } finally {
    await document.destroy();
  }
  return pages.join("\f");
}

const result = {};
for (const argument of process.argv.slice(2)) {
  const [, file, last] = argument.match(/^(.*?)(?:::(\d+))?$/);
  result[argument] = await pdfText(file, last === undefined ? Infinity : Number(last));
}
process.stdout.write(JSON.stringify(result));
