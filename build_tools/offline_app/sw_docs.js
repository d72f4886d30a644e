// LO Briefing: our part of the service worker (sw_template.js imports it after app/build.js).
// - Documents (handbook PDFs, cards, run sheets, .ics, .vcf) that are not precached are kept on the device when first
//   opened (or with a guest page's "keep offline" button), each under its revision: a document is served only in the
//   version of the pages that link to it. One fetched from a server that already has a newer build is not kept.
// - A new version, while it installs, fetches the new revision of every document this device keeps; if one cannot be
//   fetched the install fails and the working version stays as it is (the next check tries again). Superseded
//   revisions are deleted only when the new version takes over.
// - A page asks a worker (the waiting one, to describe the update) for its build with {type: "LO_BUILD"}.
"use strict";
(() => {
  const BUILD = self.LO_BUILD;
  const DOCS = "lo-docs";
  const ROOT = new URL("./", self.location.href);

  const keyFor = (path, rev) => new URL(`${path}?lo-rev=${rev}`, ROOT).href;
  const pathOf = (url) => {
    const u = new URL(url);
    return u.origin === ROOT.origin && u.pathname.startsWith(ROOT.pathname)
      ? decodeURIComponent(u.pathname.slice(ROOT.pathname.length)) : null;
  };

  async function sha256(response) {
    const digest = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // The document at `path` in this version, from the network; null when the server has another version of it.
  async function fetchRevision(path) {
    const response = await fetch(new URL(path, ROOT).href, { cache: "no-store", credentials: "same-origin" });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return (await sha256(response)) === BUILD.docs[path].rev ? response : null;
  }

  function notice(title, text) {
    const body = `<!doctype html><html lang="th"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><body style="font-family:sans-serif;padding:1.5rem;line-height:1.6"><h1 style="font-size:1.3rem">${title}</h1>
<p>${text}</p><p><a href="javascript:history.back()">← กลับ (Back)</a></p></body></html>`;
    return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }

  async function serveDoc(path) {
    const cache = await caches.open(DOCS);
    const key = keyFor(path, BUILD.docs[path].rev);
    const kept = await cache.match(key);
    if (kept) return kept;
    let response;
    try {
      response = await fetchRevision(path);
    } catch (error) {
      return notice("ยังไม่ได้เก็บเอกสารนี้ไว้ในเครื่อง (Not kept offline)",
        "เปิดเอกสารนี้หรือกด “เก็บไว้ใช้ออฟไลน์” ในหน้าของแขกขณะมีอินเทอร์เน็ต แล้วจะเปิดได้เมื่อไม่มีสัญญาณ");
    }
    if (response === null) {
      self.registration.update();
      return notice("มีข้อมูลฉบับใหม่ (A newer version is ready)",
        "เอกสารนี้บนเซิร์ฟเวอร์เป็นฉบับใหม่กว่าหน้าที่เปิดอยู่ กรุณากด “อัปเดต” ที่แถบด้านล่างก่อน แล้วเปิดอีกครั้ง");
    }
    await cache.put(key, response.clone());
    return response;
  }

  self.addEventListener("fetch", (event) => {
    if (BUILD.precacheDocs || event.request.method !== "GET") return;
    const path = pathOf(event.request.url);
    if (path !== null && Object.prototype.hasOwnProperty.call(BUILD.docs, path)) event.respondWith(serveDoc(path));
  });

  // Install: this version's revision of every document the device keeps (all or nothing).
  self.addEventListener("install", (event) => {
    event.waitUntil((async () => {
      const cache = await caches.open(DOCS);
      const kept = new Set((await cache.keys()).map((request) => pathOf(request.url)));
      for (const path of kept) {
        if (path === null || !(path in BUILD.docs) || BUILD.precacheDocs) continue;
        const key = keyFor(path, BUILD.docs[path].rev);
        if (await cache.match(key)) continue;
        const response = await fetchRevision(path);
        if (response === null) throw new Error(`${path}: the server has a newer build than this one`);
        await cache.put(key, response);
      }
    })());
  });

  // Activate: this version took over; documents of other revisions go.
  self.addEventListener("activate", (event) => {
    event.waitUntil((async () => {
      const cache = await caches.open(DOCS);
      for (const request of await cache.keys()) {
        const url = new URL(request.url);
        const path = pathOf(url.origin + url.pathname);
        const doc = path !== null && BUILD.docs[path];
        if (BUILD.precacheDocs || !doc || url.searchParams.get("lo-rev") !== doc.rev) await cache.delete(request);
      }
    })());
  });

  self.addEventListener("message", (event) => {
    if (event.data && event.data.type === "LO_BUILD" && event.ports[0]) event.ports[0].postMessage(BUILD);
  });
})();
