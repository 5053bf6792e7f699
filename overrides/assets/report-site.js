/* Small progressive enhancements; every page reads and works without them. No requests to anyone.
   - Area finder (.rs-finder on the home page): a box that filters the list of areas as you type; where nothing
     matches, a link to the site search for the same words.
   - Sortable tables (tables inside .rs-sortable): a button in each column heading sorts by that column,
     with aria-sort saying how; Enter or Space on the button does the same.
   - Moved items (.rs-moved on a review's overview): an address of an item from before the review had
     chapters (reviews/ID/#finding-3) goes on to the chapter that holds it now.
   - Contents (.rs-contents on a long page): "Back to contents" opens the list where a browser would not. */
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  // -- area finder ------------------------------------------------------------------------------
  function finder(box) {
    if (box.hasAttribute("data-rs-ready")) return;
    var list = box.querySelector("ul");
    if (!list) return;
    box.setAttribute("data-rs-ready", "");
    var items = Array.prototype.slice.call(list.children);
    var id = "rs-finder-input";
    var form = document.createElement("div");
    form.className = "rs-finder__form";
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = "Type the name of your area";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-describedby", id + "-status");
    var status = document.createElement("p");
    status.id = id + "-status";
    status.className = "rs-finder__status";
    status.setAttribute("role", "status");
    // A place that is not an area's name (a town, a street) may still be in a report: offer the site search for it.
    var searchLink = document.querySelector("a.rs-search-link");
    var offer = document.createElement("p");
    offer.className = "rs-finder__search";
    offer.hidden = true;
    var offerLink = document.createElement("a");
    offer.appendChild(document.createTextNode("Not the name of an area? "));
    offer.appendChild(offerLink);
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(status);
    if (searchLink) form.appendChild(offer);
    list.parentNode.insertBefore(form, list);

    // What a reader may type: the area's name and other names, not its result.
    var names = items.map(function (li) {
      var link = li.querySelector("a"), also = li.querySelector(".rs-also");
      return words((link ? link.textContent : "") + " " + (also ? also.textContent.replace(/also called/i, "") : ""));
    });
    function update() {
      var query = words(input.value), shown = 0;
      items.forEach(function (li, i) {
        var match = !query || (" " + names[i]).indexOf(" " + query) >= 0 || names[i].replace(/ /g, "").indexOf(query.replace(/ /g, "")) >= 0;
        li.hidden = !match;
        if (match) shown++;
      });
      status.textContent = !query ? "" : shown === 0 ? "No area matches \u201c" + input.value.trim() + "\u201d. Check the spelling, or clear the box to see all " + items.length + " areas."
        : shown === 1 ? "1 area matches." : shown + " areas match.";
      offer.hidden = !(query && shown === 0 && searchLink);
      if (!offer.hidden) {
        var target = new URL(searchLink.getAttribute("href").split("#")[0], document.baseURI);
        target.search = "?q=" + encodeURIComponent(input.value.trim());
        offerLink.href = target.pathname + target.search;
        offerLink.textContent = "Search the site for \u201c" + input.value.trim() + "\u201d";
      }
    }
    input.addEventListener("input", update);
    // Enter with one area left opens it.
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var left = items.filter(function (li) { return !li.hidden; });
      if (left.length === 1 && left[0].querySelector("a")) { event.preventDefault(); left[0].querySelector("a").click(); }
    });
    update();
  }

  // -- sortable tables ----------------------------------------------------------------------------
  var GRADE = /\((\d)\)/;
  function sortKey(cell) {
    var text = (cell ? cell.textContent : "").replace(/\s+/g, " ").trim();
    var grade = GRADE.exec(text);
    if (grade) return { n: +grade[1], t: text };
    var number = /^-?\d+(\.\d+)?$/.test(text) ? parseFloat(text) : NaN;
    return { n: isNaN(number) ? null : number, t: text.toLowerCase() };
  }
  function compare(a, b) {
    if (a.n !== null && b.n !== null) return a.n - b.n;
    if (a.n !== null) return -1;  // cells with no grade or number go last either way
    if (b.n !== null) return 1;
    return a.t < b.t ? -1 : a.t > b.t ? 1 : 0;
  }
  function sortable(table) {
    if (table.hasAttribute("data-rs-ready") || !table.tHead || !table.tBodies.length) return;
    table.setAttribute("data-rs-ready", "");
    var body = table.tBodies[0];
    var original = Array.prototype.slice.call(body.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rs-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      var sign = document.createElement("span");
      sign.className = "rs-sort__sign";
      sign.setAttribute("aria-hidden", "true");
      button.appendChild(sign);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var now = th.getAttribute("aria-sort");
        var dir = now === "ascending" ? "descending" : now === "descending" ? "none" : "ascending";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        var rows = original.slice();
        if (dir !== "none") {
          th.setAttribute("aria-sort", dir);
          var keyed = rows.map(function (row, i) { return { row: row, key: sortKey(row.cells[col]), i: i }; });
          keyed.sort(function (a, b) {
            var c = compare(a.key, b.key);
            if (dir === "descending" && a.key.n !== null && b.key.n !== null) c = -c;
            else if (dir === "descending" && a.key.n === null && b.key.n === null) c = -c;
            return c || a.i - b.i;
          });
          rows = keyed.map(function (k) { return k.row; });
        }
        rows.forEach(function (row) { body.appendChild(row); });
        var status = table.parentNode.querySelector(".rs-sort-status") || (function () {
          var p = document.createElement("p");
          p.className = "rs-sort-status rs-visually-hidden";
          p.setAttribute("role", "status");
          table.parentNode.insertBefore(p, table.nextSibling);
          return p;
        })();
        status.textContent = dir === "none" ? "Table in its first order." : "Sorted by " + button.textContent.trim() + ", " + dir + ".";
      });
    });
  }

  // -- moved items: a link into a review's one-page form (#finding-3) follows the item to its chapter page
  function moved() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    var links = document.querySelectorAll(".rs-moved a[href]");
    for (var i = 0; i < links.length; i++) {
      if (decodeURIComponent(links[i].hash.slice(1)) === id) { location.replace(links[i].href); return; }
    }
  }

  // -- contents: browsers open a closed <details> to show a fragment inside it; this does it where one does not
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest(".rs-contents-back a") : null;
    var box = link ? document.querySelector(".rs-contents details") : null;
    if (box) box.open = true;
  });
  // ... and while the list itself is on screen, the link to it would only cover the text beneath: it steps aside.
  function contentsBack() {
    var contents = document.querySelector(".rs-contents"), back = document.querySelector(".rs-contents-back");
    if (!contents || !back || !("IntersectionObserver" in window) || back.hasAttribute("data-rs-ready")) return;
    back.setAttribute("data-rs-ready", "");
    new IntersectionObserver(function (entries) {
      back.classList.toggle("rs-contents-back--near", entries[entries.length - 1].isIntersecting);
    }).observe(contents);
  }

  function all() {
    document.querySelectorAll(".rs-finder").forEach(finder);
    document.querySelectorAll(".rs-sortable table").forEach(sortable);
    contentsBack();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setTimeout(all, 0); });
  }
  moved();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
