/* LO Briefing in the field (no network, no libraries):
 * - the now/next card of a guest page, from the schedule JSON embedded in the page and the device's clock, in
 *   Bangkok time (UTC+7 all year), refreshed every 30 s and whenever the page comes back into view;
 * - checklists that tick: kept in localStorage per page (one guest = one page) and per item key (a hash of the
 *   item's text, see build_tools/compose/tickable.py), with progress per list and a reset.
 * Every value from the data is set as text (textContent), never as HTML.
 */
(function () {
  "use strict";
  var DAY = 864e5;
  var BANGKOK = 7 * 36e5;

  function bangkokDay(ms) {
    return Math.floor((ms + BANGKOK) / DAY);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // --- now / next ---------------------------------------------------------------------------------------------
  function departureItem(data) {
    var d = data.departure;
    return {
      key: "departure", start: d.at, end: d.at, title: "เที่ยวบินขาออก (Departure flight) " + d.flight,
      title_en: "", time: d.when, place: d.where, car: null, checkin: d.checkin, status: "confirmed", status_text: ""
    };
  }

  /* What the card shows at ``now`` (ms since the epoch): a state and up to two rows. */
  function nowNext(data, now) {
    var a = data.arrival;
    var d = data.departure;
    if (now < a.at) {
      return {
        state: "before", item: "arrival", rows: [{
          label: "ก่อนแขกมาถึง — เครื่องลง (Before arrival — the guest lands)",
          item: { key: "arrival", title: "เที่ยวบินขาเข้า (Arrival flight) " + a.flight, title_en: "", time: a.when, place: a.where, car: null, status: "confirmed" }
        }]
      };
    }
    if (now >= d.at) {
      return {
        state: "after", item: "departed", rows: [{
          label: "แขกเดินทางกลับแล้ว (The guest has departed)",
          item: { key: "departed", title: d.flight, title_en: "", time: d.when, place: "", car: null, status: "confirmed" }
        }]
      };
    }
    var live = data.items.filter(function (i) { return i.status !== "cancelled"; });
    var current = live.filter(function (i) { return i.start <= now && now < i.end; })[0];
    var next = live.filter(function (i) { return i.start > now; })[0] || departureItem(data);
    var days = bangkokDay(next.start) - bangkokDay(now);
    var rows = [];
    if (current) rows.push({ label: "ตอนนี้ (Now)", item: current });
    var label = days === 0 ? "ถัดไป (Next)" : days === 1 ? "พรุ่งนี้ (Tomorrow)" : "ถัดไป (Next) — " + (next.day || "");
    rows.push({ label: label, item: next });
    var state = current ? "now" : days > 0 ? "tomorrow" : "next";
    return { state: state, item: next.key, current: current ? current.key : "", rows: rows };
  }

  function row(r) {
    var i = r.item;
    var box = el("div", "lo-nownext__row lo-nownext__row--" + (i.status || "confirmed"));
    box.appendChild(el("p", "lo-nownext__label", r.label));
    var title = el("p", "lo-nownext__item", i.title);
    if (i.title_en) title.appendChild(el("span", "lo-nownext__en", " " + i.title_en));
    box.appendChild(title);
    box.appendChild(el("p", "lo-nownext__when", [i.time, i.venue || i.place].filter(Boolean).join(" · ")));
    if (i.car) box.appendChild(el("p", "lo-nownext__car", "รถออก (car departs) " + i.car));
    if (i.checkin) box.appendChild(el("p", "lo-nownext__car", "เช็คอินที่สนามบินไม่เกิน (check in by) " + i.checkin));
    if (i.status && i.status !== "confirmed" && i.status_text) box.appendChild(el("p", "lo-status lo-status--" + i.status, i.status_text));
    return box;
  }

  function startNowNext() {
    var card = document.querySelector(".lo-nownext");
    var source = document.getElementById("lo-schedule-data");
    if (!card || !source) return;
    var data;
    try { data = JSON.parse(source.textContent); } catch (e) { return; }
    var body = card.querySelector(".lo-nownext__body");
    function render() {
      var shown = nowNext(data, Date.now());
      card.setAttribute("data-state", shown.state);
      card.setAttribute("data-item", shown.item);
      card.setAttribute("data-current", shown.current || "");
      while (body.firstChild) body.removeChild(body.firstChild);
      shown.rows.forEach(function (r) { body.appendChild(row(r)); });
    }
    render();
    setInterval(render, 30000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) render(); });
  }

  // --- checklists ----------------------------------------------------------------------------------------------
  function pageKey() {
    var parts = decodeURIComponent(location.pathname).split("/").filter(Boolean);
    return "lo-ticks:" + parts.slice(-2).join("/");
  }

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }

  function save(key, ticks) {
    try { localStorage.setItem(key, JSON.stringify(ticks)); } catch (e) { /* storage off: ticks last this visit */ }
  }

  function startChecklists() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("input.lo-check__box[data-key]"));
    if (!boxes.length) return;
    var key = pageKey();
    var ticks = load(key);
    var lists = [];
    boxes.forEach(function (box) {
      var list = box.closest("ul");
      if (list && lists.indexOf(list) < 0) lists.push(list);
      box.checked = !!ticks[box.getAttribute("data-key")];
    });
    var counters = lists.map(function (list) {
      var p = el("p", "lo-progress");
      p.setAttribute("aria-live", "polite");
      list.parentNode.insertBefore(p, list);
      return { list: list, node: p };
    });
    function progress() {
      counters.forEach(function (c) {
        var all = c.list.querySelectorAll("input.lo-check__box");
        var done = c.list.querySelectorAll("input.lo-check__box:checked").length;
        c.node.textContent = "ทำแล้ว " + done + " จาก " + all.length + " (done " + done + " of " + all.length + ")";
        c.node.classList.toggle("lo-progress--complete", done === all.length);
      });
    }
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var k = box.getAttribute("data-key");
        if (box.checked) ticks[k] = 1; else delete ticks[k];
        save(key, ticks);
        progress();
      });
    });
    var reset = el("button", "lo-reset md-button", "ล้างเครื่องหมายทั้งหมดในหน้านี้ (Clear all ticks)");
    reset.type = "button";
    reset.addEventListener("click", function () {
      if (!window.confirm("ล้างเครื่องหมายทั้งหมดในหน้านี้? (Clear every tick on this page?)")) return;
      ticks = {};
      save(key, ticks);
      boxes.forEach(function (box) { box.checked = false; });
      progress();
    });
    counters[0].node.parentNode.insertBefore(reset, counters[0].node);
    progress();
  }

  // --- wide tables -------------------------------------------------------------------------------------------
  /* A table wider than a phone scrolls inside its box (Material): reachable by keyboard too (WCAG 2.1.1). */
  function focusableScrolling() {
    document.querySelectorAll("article table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) table.setAttribute("tabindex", "0");
      else table.removeAttribute("tabindex");
    });
  }

  function start() {
    focusableScrolling();
    startNowNext();
    startChecklists();
  }

  window.loField = { nowNext: nowNext };
  window.addEventListener("resize", focusableScrolling);
  start();
  // In a per-LO bundle a guest page's content is sealed until the LO unlocks it (lo-lock.js): start again then.
  document.addEventListener("lo:unlocked", start);
})();
