// Agency search: filters window.ICE287G_AGENCIES (assets/agencies.js, written by the build) as you type.
// No network call: the data is a script file, so it works from file:// as well as from a web server.
(function () {
  "use strict";
  var input = document.getElementById("agency-search");
  var list = document.getElementById("search-results");
  if (!input || !list) return;
  var root = document.body.getAttribute("data-root") || "";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u2018\u2019]/g, "'").toLowerCase();
  }
  var index = null;
  function agencies() {
    if (index === null) {
      index = (window.ICE287G_AGENCIES || []).map(function (a) {
        return { href: a[0], name: a[1], state: a[2], level: a[3], key: fold(a[1] + " " + a[2]) };
      });
    }
    return index;
  }
  function show() {
    var words = fold(input.value.trim()).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { list.hidden = true; return; }
    var hits = agencies().filter(function (a) {
      return words.every(function (w) { return a.key.indexOf(w) !== -1; });
    });
    hits.slice(0, 25).forEach(function (a) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + a.href;
      link.textContent = a.name + " (" + a.state + (a.level ? ", " + a.level : "") + ")";
      li.appendChild(link);
      list.appendChild(li);
    });
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = "No agency matches.";
      list.appendChild(none);
    } else if (hits.length > 25) {
      var more = document.createElement("li");
      more.textContent = (hits.length - 25) + " more: type more of the name";
      list.appendChild(more);
    }
    list.hidden = false;
  }
  input.addEventListener("input", show);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var first = list.querySelector("a");
      if (first) window.location.href = first.href;
    } else if (event.key === "Escape") {
      input.value = ""; show();
    }
  });
})();
