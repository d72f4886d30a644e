/* LO Briefing as an installed offline app (see build_tools/offline_app): the page's side.
 * - The status line, always visible: online/offline, the data version and how old it is (also from file://).
 * - Over HTTPS (or http://127.0.0.1): registers the service worker Workbox generated (sw.js at the site root, so the
 *   scope is the site folder, under any sub-path), and looks for a new build on launch, when the app comes back to the
 *   screen and when the network returns.
 * - A new build installs beside the working one; the app says which version is ready and what changed for the guests
 *   kept on this device, and switches only on the reader's tap (then reloads: never pages of two versions at once).
 * - On a guest page of the whole-event site: a "keep offline" button keeps the guest's documents on the device.
 * app/build.js (self.LO_BUILD) is written by the same build, so this page and its build always agree. */
(() => {
  "use strict";
  const BUILD = window.LO_BUILD;
  const script = document.currentScript;
  if (!BUILD || !script) return;
  // The site's root from this script's own address (assets/javascripts/lo-app.js): right under any sub-path, also on
  // 404.html, whose links Material writes from the host's root.
  const ROOT = new URL("../../", script.src);
  const DOCS = "lo-docs";

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };

  // --- status line -------------------------------------------------------------------------------------------
  function age(iso) {
    const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    if (minutes < 2) return "เมื่อสักครู่";
    if (minutes < 60) return `${minutes} นาทีที่แล้ว`;
    const hours = Math.round(minutes / 60);
    if (hours < 48) return `${hours} ชั่วโมงที่แล้ว`;
    return `${Math.round(hours / 24)} วันที่แล้ว`;
  }

  const status = el("div", { class: "lo-app-status", role: "status", "data-lo": "status" });
  function showStatus() {
    const online = navigator.onLine;
    status.dataset.online = online ? "yes" : "no";
    status.replaceChildren(
      el("span", { class: "lo-app-status__net" }, online ? "ออนไลน์" : "ออฟไลน์"),
      el("span", { class: "lo-app-status__version" }, BUILD.label),
      el("span", { class: "lo-app-status__age" }, `(${age(BUILD.built)})`),
    );
  }
  showStatus();
  document.body.append(status);
  document.body.classList.add("lo-app-has-status");
  window.addEventListener("online", showStatus);
  window.addEventListener("offline", showStatus);
  setInterval(showStatus, 60000);

  if (location.protocol === "file:" || !("serviceWorker" in navigator) || !window.isSecureContext) return;

  // --- documents kept on the device ----------------------------------------------------------------------------
  const keyFor = (path) => new URL(`${path}?lo-rev=${BUILD.docs[path].rev}`, ROOT).href;

  async function keptPaths() {
    if (!("caches" in window)) return new Set();
    const cache = await caches.open(DOCS);
    return new Set((await cache.keys()).map((request) => decodeURIComponent(new URL(request.url).pathname.slice(ROOT.pathname.length))));
  }

  async function isKept(paths) {
    const cache = await caches.open(DOCS);
    for (const path of paths) if (!(await cache.match(keyFor(path)))) return false;
    return true;
  }

  function guestHere() {
    const here = decodeURIComponent(location.pathname.slice(ROOT.pathname.length));
    return Object.entries(BUILD.guests).find(([, guest]) => guest.page === here);
  }

  async function keepButton() {
    const found = guestHere();
    if (!found || BUILD.precacheDocs || !navigator.serviceWorker.controller) return;
    const docs = found[1].docs.filter((path) => path in BUILD.docs);
    if (!docs.length) return;
    const button = el("button", { class: "md-button lo-app-keep", type: "button", "data-lo": "keep" });
    const show = (kept) => {
      button.textContent = kept ? `✓ เก็บเอกสารไว้ในเครื่องแล้ว (${docs.length} ไฟล์) — Kept offline`
        : `⬇ เก็บเอกสารของแขกท่านนี้ไว้ใช้ออฟไลน์ (${docs.length} ไฟล์) — Keep offline`;
      button.dataset.kept = kept ? "yes" : "no";
    };
    show(await isKept(docs));
    button.addEventListener("click", async () => {
      button.disabled = true;
      button.textContent = "กำลังเก็บ… (Saving…)";
      try {
        for (const path of docs) {
          const response = await fetch(new URL(path, ROOT).href);
          await response.arrayBuffer();
        }
      } catch (error) { /* offline: shown as not kept */ }
      button.disabled = false;
      show(await isKept(docs));
    });
    const title = document.querySelector(".md-content__inner h1");
    if (title) title.after(button);
  }

  // --- updates ------------------------------------------------------------------------------------------------
  function ask(worker) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      worker.postMessage({ type: "LO_BUILD" }, [channel.port2]);
    });
  }

  async function changesForDevice(next) {
    const kept = await keptPaths();
    const mine = next.precacheDocs ? Object.keys(next.guests)
      : Object.keys(next.guests).filter((id) => next.guests[id].docs.some((path) => kept.has(path)));
    const changed = (id) => !BUILD.guests[id] || BUILD.guests[id].rev !== next.guests[id].rev;
    const lines = [];
    for (const id of mine.filter(changed)) {
      const guest = next.guests[id];
      const detail = guest.changes.length ? guest.changes.slice(0, 5).join(" · ") : "ข้อมูลของแขกเปลี่ยน (updated)";
      lines.push(`${guest.name}: ${detail}`);
    }
    const others = Object.keys(next.guests).filter((id) => !mine.includes(id) && changed(id)).length;
    return { lines, others, mine: mine.length };
  }

  let offered = null;
  async function offer(worker) {
    if (offered === worker) return;
    offered = worker;
    const next = await ask(worker);
    const { lines, others, mine } = await changesForDevice(next);
    document.querySelector(".lo-app-update")?.remove();
    const list = el("ul", { class: "lo-app-update__changes" }, ...lines.map((line) => el("li", {}, line)));
    if (!lines.length) {
      list.append(el("li", {}, mine ? "แขกที่เก็บไว้ในเครื่องนี้ไม่มีการเปลี่ยนแปลง (no change for the guests kept here)"
        : "ยังไม่ได้เก็บเอกสารของแขกท่านใดไว้ในเครื่องนี้ (no guest kept on this device)"));
    }
    if (others) list.append(el("li", {}, `แขกท่านอื่นเปลี่ยนแปลง ${others} ท่าน (other guests changed)`));
    const update = el("button", { class: "md-button md-button--primary", type: "button", "data-lo": "update" }, "อัปเดตเดี๋ยวนี้ (Update)");
    const later = el("button", { class: "md-button", type: "button" }, "ภายหลัง (Later)");
    const box = el("div", { class: "lo-app-update", role: "alertdialog", "aria-labelledby": "lo-app-update-title", "data-lo": "offer" },
      el("strong", { id: "lo-app-update-title" }, "มีข้อมูลฉบับใหม่พร้อมใช้ (New version ready)"),
      el("div", { class: "lo-app-update__version", "data-lo": "next-version" }, next.label),
      el("div", { class: "lo-app-update__lead" }, "เปลี่ยนแปลงสำหรับแขกในเครื่องนี้ (What changed for your guests):"),
      list,
      el("div", { class: "lo-app-update__actions" }, update, later));
    update.addEventListener("click", () => {
      update.disabled = true;
      update.textContent = "กำลังเปลี่ยน… (Switching…)";
      worker.postMessage({ type: "SKIP_WAITING" });  // Workbox's listener: the waiting version takes over
    });
    later.addEventListener("click", () => box.remove());
    document.body.append(box);
  }

  function watch(registration) {
    const check = (worker) => {
      if (worker && worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    };
    check(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      if (worker) worker.addEventListener("statechange", () => check(worker));
    });
    const update = () => { if (navigator.onLine) registration.update().catch(() => {}); };
    update(); // on launch (each page load), beside the browser's own check on navigation
    window.addEventListener("online", update);
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") update(); });
  }

  // The new version took over (after a tap here or in another window): this page is of the old one, reload it.
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => { if (hadController) location.reload(); });
  navigator.serviceWorker.addEventListener("controllerchange", keepButton, { once: true });

  navigator.serviceWorker.register(new URL("sw.js", ROOT).href, { scope: ROOT.href, updateViaCache: "none" })
    .then((registration) => { watch(registration); keepButton(); })
    .catch(() => {});
})();
