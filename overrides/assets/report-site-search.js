// The search page (generator/output/search_bundles.py builds the Pagefind index this searches, as several bundles).
// Only this page loads Pagefind: its script, its WebAssembly and the index chunks for the words
// searched. Keyboard and screen readers: the status line is a polite live region that says how
// many results there are; submitting the form moves focus to the results heading; "Show more
// results" moves focus to the first new result; changing a filter leaves focus where it is.
// Text from the index is always inserted as text (excerpts keep only Pagefind's <mark>).

// Five results first, as Pagefind's own interface shows: each result fetches its page's text (7-11 KB for a
// report), so a first query stays under 300 KB in all, page included, at 3,000 reports (bench/README.md).
const PAGE_SIZE = 5;
// Filters in the order offered; values sorted as readers expect (newest year, highest grade first).
const FILTERS = ["Partnership", "Programme", "Type", "Year", "Grade"];
const byNumberDown = (a, b) => (parseInt(b.match(/\d+/), 10) || 0) - (parseInt(a.match(/\d+/), 10) || 0);
const ORDER = { Year: (a, b) => b.localeCompare(a), Grade: byNumberDown };

const root = document.querySelector("[data-rs-search]");
if (root) start(root);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const child of children) if (child != null) node.append(child);
  return node;
}

// Pagefind's excerpt is text with <mark> around the words found: rebuild it from text nodes.
function excerpt(html) {
  const out = document.createDocumentFragment();
  const parts = String(html).split(/(<mark>|<\/mark>)/);
  let marked = false;
  const decode = (s) => new DOMParser().parseFromString(`<!doctype html><body>${s}`, "text/html").body.textContent;
  for (const part of parts) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) out.append(marked ? el("mark", {}, decode(part)) : decode(part));
  }
  return out;
}

// A result's bundle: its page id is "<bundle>_<Pagefind's id>" (generator/output/pagefind_stable.py, name_pages).
const bundleOf = (result) => String(result.id).split("_")[0];

function plural(n, one, many) {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}

// A small JSON file the build writes beside the index (generator/output/search_bundles.py), or `fallback`.
async function siteFile(folder, name, fallback) {
  try {
    const response = await fetch(new URL(name, folder));
    return response.ok ? await response.json() : fallback;
  } catch (error) {
    return fallback;
  }
}

// Edits (insert, delete, replace, swap two neighbours) from a to b, or `limit` + 1 once it is past `limit`.
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = null, previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row.push(d);
      least = Math.min(least, d);
    }
    if (least > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

// The query with each word the site does not use replaced by the most used close one; null when nothing changes.
function suggestion(term, words) {
  const known = new Set(words);
  let changed = false;
  const fixed = term.toLowerCase().split(/\s+/).filter(Boolean).map((word) => {
    if (word.length < 4 || known.has(word)) return word;
    const limit = word.length >= 8 ? 2 : 1;
    let best = null, bestDistance = limit + 1;
    for (const candidate of words) {  // most used first: of equally close words, the commonest wins
      const d = distance(word, candidate, Math.min(limit, bestDistance - 1));
      if (d < bestDistance) { best = candidate; bestDistance = d; if (d === 1) break; }
    }
    if (best) changed = true;
    return best || word;
  });
  return changed ? fixed.join(" ") : null;
}

async function start(root) {
  const form = root.querySelector(".rs-search__form");
  const input = root.querySelector("#rs-search-q");
  const filterBox = root.querySelector(".rs-search__filters");
  const filterList = root.querySelector(".rs-search__filter-list");
  const heading = root.querySelector(".rs-search__heading");
  const status = root.querySelector(".rs-search__status");
  const list = root.querySelector(".rs-search__results");
  const more = root.querySelector(".rs-search__more");
  const suggest = el("p", { class: "rs-search__suggest", hidden: "" });
  status.after(suggest);
  let words = null;
  const noJs = document.querySelector(".rs-search-nojs");
  // The index is several Pagefind bundles, one folder each (rs-bundles.json): the first is loaded and the others
  // merged into it (Pagefind's mergeIndex), so a query searches them all and results come in one list by score.
  const folder = new URL(root.dataset.bundle, document.baseURI);
  let pagefind;
  let bundles = [];
  try {
    bundles = await siteFile(folder, "rs-bundles.json", []);
    if (!bundles.length) throw new Error("no search index");
    pagefind = await import(new URL(`${bundles[0]}/pagefind.js`, folder).href);
    // Result URLs are relative to the site's root, wherever the site is published.
    const options = { baseUrl: new URL("..", folder).pathname, excerptLength: 24 };
    await pagefind.options(options);
    await pagefind.init();
    await Promise.all(bundles.slice(1).map((name) => pagefind.mergeIndex(new URL(`${name}/`, folder).href, options)));
  } catch (error) {
    if (noJs) {
      noJs.hidden = false;
      noJs.prepend(el("p", { role: "alert" }, "Search could not be loaded. "));
    }
    return;
  }
  if (noJs) noJs.hidden = true;
  root.hidden = false;
  // From the header's search link (#rs-search-q) the reader came to type: focus the box.
  // Otherwise the page starts as every page does, with the skip link as the first Tab stop.
  if (location.hash === "#rs-search-q") input.focus();

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  const selects = {};
  // Each filter's values (FILTER_VALUES): Pagefind's own filters() would fetch every filter chunk (each lists the
  // pages of each value, so they grow with the site) before the first query; this way a filter's chunk is fetched
  // only when a reader filters by it. Without the file the search works, with no filters.
  const available = await siteFile(folder, "rs-filter-values.json", {});
  for (const name of FILTERS) {
    const values = [...(available[name] || [])].sort(ORDER[name] || ((a, b) => a.localeCompare(b, "en-GB")));
    if (!values.length) continue;
    const id = `rs-filter-${name.toLowerCase()}`;
    const select = el("select", { id, name: name.toLowerCase() }, el("option", { value: "" }, "Any"));
    for (const value of values) select.append(el("option", { value }, value));
    select.value = values.includes(params.get(name.toLowerCase())) ? params.get(name.toLowerCase()) : "";
    select.addEventListener("change", () => run(false));
    selects[name] = select;
    filterList.append(el("div", { class: "rs-search__filter" }, el("label", { for: id }, name), select));
  }
  filterBox.hidden = !Object.keys(selects).length;

  let results = [];
  let shown = 0;
  let latest = 0;
  let order = null;

  // A bundle that holds no word beginning like a word searched answers with its longest word that begins that word
  // ("co" for "comma"), as Pagefind does for a whole site that does not hold it. Across bundles that would list
  // pages without the word beside pages with it: where some bundle holds the word itself (an exact search, run on
  // the chunks already fetched), results come only from the bundles that do. A page's id starts with its bundle.
  async function holding(term, found) {
    if (bundles.length < 2) return found;
    let keep = null;
    for (const word of term.replace(/"/g, " ").split(/\s+/).filter(Boolean)) {
      const exact = await pagefind.search(`"${word}"`);
      if (!exact || !exact.results.length) continue;
      const these = new Set(exact.results.map(bundleOf));
      keep = keep ? new Set([...keep].filter((b) => these.has(b))) : these;
    }
    return keep ? found.filter((r) => keep.has(bundleOf(r))) : found;
  }

  // Filters only: the pages newest first, by ORDER (the dated pages' ids, newest first across bundles; fetched only
  // then); pages without a date follow. (Pagefind's own sort orders each bundle alone, and leaves out the pages
  // without a date.)
  async function newestFirst(found) {
    order = order || await siteFile(folder, "rs-order.json", []);
    const rank = new Map(order.map((id, i) => [id, i]));
    const of = (r) => (rank.has(r.id) ? rank.get(r.id) : order.length);
    return [...found].sort((a, b) => of(a) - of(b));
  }

  function chosen() {
    const filters = {};
    for (const [name, select] of Object.entries(selects)) if (select.value) filters[name] = select.value;
    return filters;
  }

  function remember(term, filters) {
    const next = new URLSearchParams();
    if (term) next.set("q", term);
    for (const [name, value] of Object.entries(filters)) next.set(name.toLowerCase(), value);
    const query = next.toString();
    history.replaceState(null, "", (query ? `?${query}` : location.pathname) + location.hash);
  }

  function describe(term, filters) {
    const parts = Object.entries(filters).map(([name, value]) => `${name}: ${value}`);
    return (term ? ` for “${term}”` : "") + (parts.length ? ` (${parts.join("; ")})` : "");
  }

  async function render(from) {
    const slice = await Promise.all(results.slice(from, from + PAGE_SIZE).map((r) => r.data()));
    const added = [];
    for (const data of slice) {
      const meta = data.meta || {};
      // The section that holds most of the words (Pagefind's sub-results, one per heading with an id): the link
      // lands there, not at the top of a long page.
      const section = (data.sub_results || []).reduce((best, s) =>
        (s.url.includes("#") && (!best || (s.locations || []).length > (best.locations || []).length)) ? s : best, null);
      const link = el("a", { href: section ? section.url : data.url }, meta.title || data.url);
      const facts = [meta.type, meta.partnership, meta.date].filter(Boolean).join(" · ");
      const words = section ? section.excerpt : data.excerpt;
      const item = el("li", { class: "rs-result" },
        el("h3", { class: "rs-result__title" }, link),
        facts ? el("p", { class: "rs-result__meta" }, facts) : null,
        section && section.title ? el("p", { class: "rs-result__section" }, `In “${section.title}”`) : null,
        words ? el("p", { class: "rs-result__excerpt" }, excerpt(words)) : null);
      list.append(item);
      added.push(link);
    }
    shown = from + slice.length;
    more.hidden = shown >= results.length;
    return added;
  }

  async function run(focusResults) {
    const id = ++latest;
    const term = input.value.trim();
    const filters = chosen();
    remember(term, filters);
    if (!term && !Object.keys(filters).length) {
      results = [];
      list.replaceChildren();
      heading.hidden = more.hidden = suggest.hidden = true;
      status.textContent = "";
      return;
    }
    const search = await pagefind.search(term || null, { filters });
    if (id !== latest || !search) return; // a newer search has started
    results = term ? await holding(term, search.results) : await newestFirst(search.results);
    if (id !== latest) return;
    list.replaceChildren();
    await render(0);
    if (id !== latest) return;
    heading.hidden = false;
    heading.textContent = results.length ? `${plural(results.length, "result", "results")}` : "No results";
    status.textContent = results.length
      ? `${plural(results.length, "result", "results")}${describe(term, filters)}.`
      : `No pages match${describe(term, filters)}. Try other words, or fewer filters.`;
    suggest.hidden = true;
    if (!results.length && term) {
      // The words of the indexed pages, most used first (WORDS), fetched only when a query finds nothing: a word not
      // among them gets the closest that is ("chronolgy" -> "chronology").
      words = words || await siteFile(folder, "rs-words.json", []);
      const better = suggestion(term, words);
      if (id !== latest) return;
      if (better) {
        const link = el("a", { href: `?q=${encodeURIComponent(better)}` }, better);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          input.value = better;
          run(true);
        });
        suggest.replaceChildren("Did you mean ", link, "?");
        suggest.hidden = false;
      }
    }
    if (focusResults) heading.focus();
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(false), 350);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(true);
  });
  more.addEventListener("click", async () => {
    const added = await render(shown);
    if (added.length) added[0].focus();
  });

  if (input.value || Object.keys(chosen()).length) await run(false);
  root.setAttribute("data-ready", "");
}
