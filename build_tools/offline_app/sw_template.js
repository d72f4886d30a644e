// LO Briefing's service worker: this template plus the precache list the build writes into it where workbox-build's
// injectManifest would (build_tools/offline_app/workbox.py). The Workbox runtime is served from the site itself
// (app/workbox/), never a CDN.
/* global workbox */
importScripts("app/workbox/workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "app/workbox/", debug: false });
importScripts("app/build.js", "app/sw-docs.js"); // self.LO_BUILD, then the documents kept on demand

// Every page, asset and the search index, each under its revision. A new build installs beside the working one.
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute(self.__WB_MANIFEST, {
  directoryIndex: "index.html",
  ignoreURLParametersMatching: [/^h$/, /^utm_/], // ?h=… is Material's search highlight: the same page
});

// The new version waits until the reader taps "update" (lo-app.js sends SKIP_WAITING); the first one takes the page at once.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});
workbox.core.clientsClaim();
