/* LO Briefing: unlock a bundle's guest page in the browser (bundles only; build_tools/bundles/lock.py seals it).
 *
 * The page shows only what is not sensitive. Its full content and the full phone files (.ics/.vcf) sit in it
 * encrypted: AES-256-GCM under a key derived from the LO's password with PBKDF2-HMAC-SHA256 (600,000 iterations,
 * the bundle's salt). WebCrypto derives the key and decrypts here; nothing is sent anywhere. The derived key is kept
 * in sessionStorage, so the other pages of the bundle open unlocked until the browser is closed. */
(function () {
  "use strict";
  var sealed = document.getElementById("lo-locked");
  var form = document.querySelector("[data-lo-lock]");
  if (!sealed || !form) return;
  var status = form.querySelector(".lo-lock__status");
  if (!window.crypto || !window.crypto.subtle) {
    status.textContent = "เบราว์เซอร์นี้ถอดรหัสไม่ได้ (this browser cannot decrypt: open the bundle in Chrome, Safari or Firefox)";
    return;
  }
  var saltText = sealed.getAttribute("data-salt");
  var storeKey = "lo-lock:" + saltText;

  function bytes(base64) {
    var binary = atob(base64.trim());
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }

  function text(data) {
    var binary = "";
    for (var i = 0; i < data.length; i++) binary += String.fromCharCode(data[i]);
    return btoa(binary);
  }

  function derive(passphrase) {
    return crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveBits"])
      .then(function (base) {
        return crypto.subtle.deriveBits({
          name: "PBKDF2", hash: "SHA-256", salt: bytes(saltText),
          iterations: parseInt(sealed.getAttribute("data-iterations"), 10)
        }, base, 256);
      })
      .then(function (bits) { return new Uint8Array(bits); });
  }

  function open(raw, base64) {
    var data = bytes(base64);
    return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"])
      .then(function (key) { return crypto.subtle.decrypt({ name: "AES-GCM", iv: data.slice(0, 12) }, key, data.slice(12)); })
      .then(function (plain) { return new Uint8Array(plain); });
  }

  function unlock(raw) {
    var files = Array.prototype.slice.call(document.querySelectorAll("[data-lo-locked-file]"));
    return Promise.all([open(raw, sealed.textContent)].concat(files.map(function (file) { return open(raw, file.textContent); })))
      .then(function (plain) {
        var article = sealed.closest("article");
        var urls = {};
        files.forEach(function (file, index) {
          urls[file.getAttribute("data-lo-locked-file")] =
            URL.createObjectURL(new Blob([plain[index + 1]], { type: file.getAttribute("data-type") }));
        });
        article.innerHTML = new TextDecoder().decode(plain[0]);
        article.querySelectorAll("a[href]").forEach(function (link) {
          var path = new URL(link.getAttribute("href"), location.href).pathname;
          Object.keys(urls).forEach(function (file) {
            if (path.slice(-file.length - 1) === "/" + file) {
              link.href = urls[file];
              link.setAttribute("download", file.split("/").pop());
            }
          });
        });
        try { sessionStorage.setItem(storeKey, text(raw)); } catch (e) { /* private mode: unlock again next page */ }
        document.documentElement.classList.add("lo-unlocked");
        document.dispatchEvent(new CustomEvent("lo:unlocked"));
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = form.querySelector("input[type=password]");
    status.textContent = "กำลังปลดล็อก… (unlocking…)";
    derive(input.value.trim())
      .then(unlock)
      .catch(function () {
        status.textContent = "รหัสผ่านไม่ถูกต้อง (wrong password)";
        input.select();
      });
  });

  var kept = null;
  try { kept = sessionStorage.getItem(storeKey); } catch (e) { kept = null; }
  if (kept) unlock(bytes(kept)).catch(function () { sessionStorage.removeItem(storeKey); });
})();
