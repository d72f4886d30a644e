/*
 * LO Briefing: print what the reader sees and what is folded away. Collapsed blocks (<details>) are opened for
 * printing and closed again afterwards.
 */
(function () {
  "use strict"
  var opened = []
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (el) {
      el.setAttribute("open", "")
      return true
    })
  })
  window.addEventListener("afterprint", function () {
    opened.forEach(function (el) { el.removeAttribute("open") })
    opened = []
  })
})()
