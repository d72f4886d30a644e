/*
 * LO Briefing: Thai words in search queries.
 *
 * The build cuts the Thai text of the search index into words (see build_tools/search_th.py), so the index knows
 * "ตำรวจ" and "อารักขา" as two tokens. A reader types them without a space: "ตำรวจอารักขา". Material's search
 * would look for one token starting with "ตำรวจอารักขา" and find nothing, so before a query reaches the search
 * worker, every run of Thai letters in it is cut into the words the index knows (fewest unknown letters, then
 * fewest words; an unfinished last word counts when some word starts with it), separated by spaces.
 *
 * Material talks to its worker with postMessage: {type: 0 (setup), data: {config, docs}} once, then
 * {type: 2 (query), data: "..."}. The words are learnt from the setup message, so nothing else is loaded.
 * Loaded in <head>, after the iframe-worker shim and before Material's bundle creates the worker.
 */
(function () {
  "use strict"

  var SETUP = 0
  var QUERY = 2
  var THAI = /[\u0E01-\u0E3A\u0E3F-\u0E5B]+/g
  var FIELDS = ["title", "text", "title_parts", "text_parts"]

  var words = null   /* every Thai token of the index, with how often it occurs */
  var stems = null   /* every proper beginning of those tokens */
  var longest = 0

  function learn(index) {
    words = new Map()
    stems = new Set()
    longest = 0
    var docs = index.docs || []
    for (var d = 0; d < docs.length; d++)
      for (var f = 0; f < FIELDS.length; f++) {
        var value = docs[d][FIELDS[f]]
        if (typeof value !== "string") continue
        var found = value.match(THAI)
        if (found) for (var i = 0; i < found.length; i++) words.set(found[i], (words.get(found[i]) || 0) + 1)
      }
    words.forEach(function (count, word) {
      if (word.length > longest) longest = word.length
      for (var n = 1; n < word.length; n++) stems.add(word.slice(0, n))
    })
  }

  /*
   * Cost of a cut, compared in order: letters in no word, number of pieces, then how unlikely the pieces are
   * (minus the log of how often each occurs in the index; an unfinished last word counts as rarer than any word).
   */
  function better(a, b) {
    return !b || a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2] - 1e-9)))
  }

  function cut(run) {
    var n = run.length
    var cost = new Array(n + 1)
    var from = new Array(n + 1)
    var known = new Array(n + 1)
    cost[0] = [0, 0, 0]
    function relax(start, end, next, isKnown) {
      if (better(next, cost[end])) {
        cost[end] = next
        from[end] = start
        known[end] = isKnown
      }
    }
    for (var i = 0; i < n; i++) {
      if (!cost[i]) continue
      var here = cost[i]
      for (var len = 1; len <= Math.min(longest, n - i); len++) {
        var piece = run.substr(i, len)
        var count = words.get(piece)
        var isStem = stems.has(piece)
        if (count) relax(i, i + len, [here[0], here[1] + 1, here[2] - Math.log(count)], true)
        else if (isStem && i + len === n) relax(i, n, [here[0], here[1] + 1, here[2] + 1], true)
        if (!count && !isStem) break
      }
      relax(i, i + 1, [here[0] + 1, here[1] + 1, here[2] + 1], false)
    }
    var pieces = []
    for (var end = n; end > 0; end = from[end])
      pieces.unshift({ text: run.slice(from[end], end), known: known[end] })
    /* Letters in no word stay together */
    var out = []
    for (var p = 0; p < pieces.length; p++) {
      var last = out[out.length - 1]
      if (!pieces[p].known && last && !last.known) last.text += pieces[p].text
      else out.push(pieces[p])
    }
    return out.map(function (piece) { return piece.text })
  }

  /*
   * A run typed as one chunk ("ตำรวจอารักขา") asks for all of its words: "+ตำรวจ +อารักขา*" (every word required,
   * the earlier ones complete, the last one possibly still being typed). Left as alternatives (Material's default)
   * when a piece is in no word of the index, when the run touches other characters, and inside quotes.
   */
  function segment(query) {
    if (!words || !words.size) return query
    var quoted = query.indexOf('"') >= 0
    return query.replace(THAI, function (run, offset) {
      var pieces = cut(run)
      var before = offset === 0 ? " " : query.charAt(offset - 1)
      var after = offset + run.length === query.length ? " " : query.charAt(offset + run.length)
      var alone = /\s/.test(before) && /\s/.test(after)
      var known = pieces.every(function (piece, i) {
        return words.has(piece) || (i === pieces.length - 1 && stems.has(piece))
      })
      if (pieces.length < 2 || quoted || !alone || !known || window.loBriefingSearch.any) return pieces.join(" ")
      return pieces.map(function (piece, i) { return "+" + piece + (i === pieces.length - 1 ? "*" : "") }).join(" ")
    })
  }

  function wrap(proto) {
    if (!proto || proto.__loThai) return
    var post = proto.postMessage
    proto.postMessage = function (message) {
      var args = Array.prototype.slice.call(arguments)
      if (message && message.type === SETUP && message.data && message.data.docs) {
        learn(message.data)
      } else if (message && message.type === QUERY && typeof message.data === "string") {
        args[0] = { type: QUERY, data: segment(message.data) }
      }
      return post.apply(this, args)
    }
    proto.__loThai = true
  }

  /*
   * Results are shown as the index has them, with U+200B between Thai words. Invisible, but each one is a forced
   * line-break opportunity and ends up in copied text, so they are taken out of the rendered results (after
   * Material has placed its highlights); the browser's own Thai line breaking takes over.
   */
  function unzwsp(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (var node = walker.nextNode(); node; node = walker.nextNode())
      if (node.nodeValue.indexOf("\u200b") >= 0) node.nodeValue = node.nodeValue.replace(/\u200b/g, "")
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector(".md-search-result__list")
    if (!list || typeof MutationObserver !== "function") return
    new MutationObserver(function (changes) {
      for (var c = 0; c < changes.length; c++)
        for (var n = 0; n < changes[c].addedNodes.length; n++) unzwsp(changes[c].addedNodes[n])
    }).observe(list, { childList: true })
  })

  if (typeof window.Worker === "function") wrap(window.Worker.prototype)
  if (typeof window.IFrameWorker === "function") wrap(window.IFrameWorker.prototype)

  /* For tests and curious readers: how a query is cut. Setting `any` to true keeps Material's "any word" mode
     for runs too (used to compare recall and precision of the two modes). */
  window.loBriefingSearch = { segment: segment, ready: function () { return !!(words && words.size) }, any: false }
})()
