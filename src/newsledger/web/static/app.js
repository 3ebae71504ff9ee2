// newsledger's page: each view renders the JSON of its twin under /api. Text from the ledger
// (articles, sentences, names) is only ever inserted as text nodes, never as markup.
"use strict";

const view = document.getElementById("view");
const twin = document.getElementById("json-twin");
const QUAD = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
               4: "material conflict" };
const QUAD_COLOURS = { 1: "#7fbf7f", 2: "#2e7d4f", 3: "#f0a35e", 4: "#b3362b" };

// -- small DOM helpers ------------------------------------------------------------------------

// A link target is kept only when it is a path on this site or an http(s) URL: a javascript:,
// data: or vbscript: URL (in any case, with any whitespace) is never made a link.
function safeHref(href) {
  const value = String(href).replace(/[\u0000-\u0020\u007f]+/g, "");
  if (/^\/(?![\/\\])/.test(value)) return true;  // "/articles/…", not "//host"
  return /^https?:\/\//i.test(value);
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "href" && !safeHref(value)) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function link(href, text) {
  return el("a", { href, onclick: (event) => { event.preventDefault(); go(href); } }, text);
}

// A link to a page elsewhere (an article's original URL); plain text unless it is http(s).
function externalLink(url, text) {
  if (!url) return null;
  if (!/^https?:\/\//i.test(url)) return el("span", { class: "muted" }, text);
  return el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank",
                   class: "external" }, text);
}

// A table whose columns sort on a click of their header (numbers as numbers, then text).
function table(headers, rows) {
  const body = el("tbody", {}, rows);
  const heads = headers.map((h, index) => el("th", { class: "sortable", title: "sort",
    onclick: (click) => sortBy(body, index, click.currentTarget) }, h));
  return el("table", {}, el("thead", {}, el("tr", {}, heads)), body);
}

function sortBy(body, index, th) {
  const descending = th.getAttribute("aria-sort") === "ascending";
  for (const other of th.parentNode.children) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  const key = (row) => (row.children[index] ? row.children[index].textContent.trim() : "");
  const sorted = [...body.children].sort((a, b) => {
    const x = key(a), y = key(b);
    const nx = Number(x.replace(/%$/, "")), ny = Number(y.replace(/%$/, ""));
    const order = x !== "" && y !== "" && !Number.isNaN(nx) && !Number.isNaN(ny)
      ? nx - ny : x.localeCompare(y);
    return descending ? -order : order;
  });
  body.replaceChildren(...sorted);
}

function badge(status) { return el("span", { class: `badge ${status}` }, status); }

function actorLink(actor) {
  if (!actor) return el("span", { class: "muted" }, "—");
  return link(`/actors/${encodeURIComponent(actor.code.slice(0, 3) === "---"
                                            ? actor.code.slice(3) : actor.code)}`, actor.code);
}

// CAMEO names by code, from /api/vocabulary (loaded once, for labels, tooltips and forms).
let VOCABULARY = null;
async function vocabulary() {
  if (!VOCABULARY) {
    VOCABULARY = await api("/api/vocabulary");
    VOCABULARY.names = Object.fromEntries(VOCABULARY.cameo.map((c) => [c.code, c.name]));
  }
  return VOCABULARY;
}
function cameoName(code) { return (VOCABULARY && VOCABULARY.names[code]) || ""; }

function eventWhat(event) {
  const name = cameoName(event.cameo);
  const span = el("span", { class: event.quad_class >= 3 ? "conflict" : "coop",
                            title: [name, event.plover.event ? `PLOVER ${event.plover.event}` : "",
                                    QUAD[event.quad_class]].filter(Boolean).join(" · ") },
                  `${event.cameo} ${name}`);
  const notes = [];
  if (event.polarity === "negative") notes.push("not");
  if (event.modality !== "asserted") notes.push(event.modality);
  return el("span", {}, span, notes.length ? el("span", { class: "muted" },
                                                   ` (${notes.join(", ")})`) : null);
}

// An API answer that is not 2xx: its status, and its detail as text (and by field, for a 422).
class ApiError extends Error {
  constructor(status, detail) {
    const fields = {};
    let message = typeof detail === "string" ? detail : "";
    if (Array.isArray(detail)) {
      for (const problem of detail) {
        const field = (problem.loc || []).slice(-1)[0] || "";
        fields[field] = problem.msg;
      }
      message = Object.entries(fields).map(([f, m]) => `${f}: ${m}`).join("; ");
    }
    super(message || `the server answered ${status}`);
    this.status = status;
    this.fields = fields;
  }
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let detail = null;
    try { detail = (await response.json()).detail; } catch (_) { detail = null; }
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

function problem(error) {
  const what = error.status === 404 ? "Not found" : "Could not load this view";
  return el("div", { class: "problem", role: "alert" }, el("strong", {}, `${what}: `),
            error.message, " ", link("/stories", "back to the stories"));
}

function setTwin(path) { twin.setAttribute("href", path); }

function render(...nodes) { view.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined)); }

// -- routing ----------------------------------------------------------------------------------

const routes = [
  [/^\/(stories)?$/, storiesView],
  [/^\/stories\/([0-9a-f]+)$/, storyView],
  [/^\/events$/, eventsView],
  [/^\/claims$/, claimsView],
  [/^\/actors$/, actorsView],
  [/^\/articles$/, articlesView],
  [/^\/actors\/([A-Za-z0-9-]+)$/, actorView],
  [/^\/articles\/([0-9a-f]+)$/, articleView],
];

function go(href) { history.pushState({}, "", href); route(); }

async function route() {
  const url = new URL(location.href);
  for (const [pattern, handler] of routes) {
    const match = url.pathname.match(pattern);
    if (match) {
      try { await vocabulary(); } catch (_) { /* labels fall back to bare codes */ }
      try { await handler(match[1], url.searchParams); }
      catch (error) { render(problem(error)); }
      return;
    }
  }
  render(el("p", {}, "Not found."));
}

window.addEventListener("popstate", route);
document.addEventListener("DOMContentLoaded", () => {
  for (const a of document.querySelectorAll("header a")) {
    if (a.id !== "json-twin" && !a.classList.contains("docs")) {
      a.addEventListener("click", (event) => { event.preventDefault(); go(a.getAttribute("href")); });
    }
  }
  route();
});

// -- stories ----------------------------------------------------------------------------------

async function storiesView() {
  const path = "/api/stories?limit=100";
  setTwin(path);
  const data = await api(path);
  render(el("h1", {}, "Stories"),
         data.items.length === 0 ? el("p", { class: "muted" }, "No stories yet.") : table(
           ["story", "from", "to", "articles", "outlets"],
           data.items.map((s) => el("tr", { class: "story-row" },
             el("td", {}, link(`/stories/${s.id}`, s.label)), el("td", {}, s.first_date || ""),
             el("td", {}, s.last_date || ""), el("td", {}, s.articles),
             el("td", {}, s.outlets.join(", "))))));
}

async function storyView(id) {
  const path = `/api/stories/${id}`;
  setTwin(path);
  const story = await api(path);
  const chart = el("div", { id: "timeline", class: "chart" });
  const sentence = el("div", { id: "sentence", class: "muted" }, "Click an event to see its sentence.");
  const byId = Object.fromEntries(story.events.map((e) => [e.id, e]));
  const rows = story.events.map((event) => el("tr", {
      class: "clickable event-row", "data-event": event.id,
      onclick: (click) => showSentence(click.currentTarget, event, sentence) },
    el("td", {}, event.date || ""), el("td", {}, actorLink(event.source)),
    el("td", {}, eventWhat(event)), el("td", {}, actorLink(event.target)),
    el("td", {}, event.attributed_to.join(", ")),
    el("td", {}, `${Math.round(event.confidence * 100)}%`)));
  const claims = story.claims.map((claim) => {
    const event = byId[claim.event_id];
    return el("tr", { class: "claim-row" }, el("td", {}, badge(claim.status)),
      el("td", {}, event ? `${event.source ? event.source.code : "?"} ${event.cameo} ${event.target ? event.target.code : ""}` : ""),
      el("td", {}, claim.asserted_by.join(", ") || "—"),
      el("td", {}, claim.denied_by.join(", ") || "—"),
      el("td", {}, event ? event.sentence.text : ""));
  });
  render(
    el("h1", { id: "story-label" }, story.label),
    el("p", { class: "muted" }, `${story.first_date || "?"} – ${story.last_date || "?"} · `,
       `${story.articles} articles · outlets: ${story.outlets.join(", ") || "unknown"}`),
    el("h2", {}, "Timeline"), chart,
    el("h2", {}, "Events"), sentence,
    table(["date", "source", "event", "target", "according to", "confidence"], rows),
    el("h2", {}, "Claims"),
    claims.length ? table(["status", "claim", "asserted by", "denied by", "evidence"], claims)
                  : el("p", { class: "muted" }, "No claims."),
    el("h2", {}, "Articles"),
    table(["title", "outlet", "published"], story.article_list.map((a) => el("tr", {},
      el("td", {}, link(`/articles/${a.id}`, a.title || `(no title) ${a.id.slice(0, 8)}`)), el("td", {}, a.outlet || ""),
      el("td", {}, a.published || "")))));
  drawTimeline(chart, story.timeline);
}

function showSentence(row, event, target) {
  for (const selected of document.querySelectorAll("tr.selected")) selected.classList.remove("selected");
  row.classList.add("selected");
  target.className = "";
  const reports = el("p", { class: "muted reports" });
  target.replaceChildren(el("strong", {}, `${event.cameo} · `), event.sentence.text, " ",
                         link(`/articles/${event.article_id}`, "open the article"), reports);
  api(`/api/events/${event.id}`).then((found) => {
    const merged = found.merged;
    if (!merged) return;
    const outlets = merged.outlets.length ? merged.outlets.join(", ") : "unknown outlets";
    reports.replaceChildren(`Reported ${merged.mention_list.length} time(s), by ${outlets}; `,
                            `corroboration ${merged.corroboration}.`);
  }).catch(() => reports.replaceChildren("Could not load the other reports."));
}

function drawTimeline(node, timeline) {
  if (!window.Plotly || timeline.length === 0) {
    node.replaceChildren(el("p", { class: "muted" }, "No dated events."));
    return;
  }
  const periods = timeline.map((t) => t.period);
  const traces = [1, 2, 3, 4].map((q) => ({ type: "bar", name: QUAD[q], x: periods,
    y: timeline.map((t) => t.quad_classes[q]), marker: { color: QUAD_COLOURS[q] } }));
  traces.push({ type: "scatter", mode: "lines+markers", name: "mean Goldstein", yaxis: "y2",
                x: periods, y: timeline.map((t) => t.mean_goldstein), line: { color: "#1d2733" } });
  Plotly.newPlot(node, traces, { barmode: "stack", margin: { t: 10, r: 60, l: 60, b: 50 },
    xaxis: { type: "category", title: { text: "period" } },
    yaxis: { title: { text: "events (bars)" }, rangemode: "tozero" },
    yaxis2: { title: { text: "mean Goldstein (line)" }, overlaying: "y", side: "right",
              range: [-10, 10], dtick: 5, showgrid: false, zeroline: false },
    legend: { orientation: "h", y: -0.25 } }, { displayModeBar: false, responsive: true });
}

// -- events -----------------------------------------------------------------------------------

const FILTERS = ["actor", "source", "target", "cameo", "quad_class", "plover", "since", "until",
                 "status", "polarity", "modality", "min_corroboration"];
const LABELS = { quad_class: "quad class", min_corroboration: "min. corroboration",
                 cameo: "CAMEO code" };

// The control of one filter: a list where the values are a closed vocabulary, a date input
// for dates, a box for actor codes.
function filterControl(key, value, words) {
  const choices = {
    cameo: words.cameo.map((c) => [c.code, `${c.code} ${c.code.length === 2 ? "— " : ""}${c.name}`]),
    quad_class: words.quad_class.map((q) => [String(q.value), `${q.value} ${q.name}`]),
    plover: words.plover.map((p) => [p, p]), status: words.status.map((x) => [x, x]),
    polarity: words.polarity.map((x) => [x, x]), modality: words.modality.map((x) => [x, x]),
  }[key];
  if (choices) {
    const known = choices.some(([v]) => v === value);
    return el("select", { name: key, id: `filter-${key}` }, el("option", { value: "" }, "any"),
      choices.map(([v, text]) => el("option", { value: v, selected: v === value, title: text }, text)),
      value && !known ? el("option", { value, selected: true }, value) : null);
  }
  if (key === "since" || key === "until") {
    return el("input", { type: "date", name: key, id: `filter-${key}`, value: value || "" });
  }
  if (key === "min_corroboration") {
    return el("input", { type: "number", min: "1", name: key, id: `filter-${key}`, value: value || "" });
  }
  return el("input", { name: key, id: `filter-${key}`, value: value || "", placeholder: "e.g. PRK",
                       size: "8" });
}

async function eventsView(_, params) {
  const words = await vocabulary();
  const query = new URLSearchParams();
  for (const key of FILTERS) if (params.get(key)) query.set(key, params.get(key));
  const csv = `/api/events.csv?${query}`;  // every matching event, not just this page
  const offset = Number(params.get("offset") || 0);
  query.set("limit", "50"); query.set("offset", String(offset));
  const path = `/api/events?${query}`;
  setTwin(path);
  const errors = {};
  const form = el("form", { class: "filters", id: "filters", onsubmit: (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [key, value] of new FormData(event.target)) if (value) next.set(key, value);
    go(`/events?${next}`);
  } }, FILTERS.map((key) => {
    errors[key] = el("span", { class: "field-error", id: `error-${key}`, role: "alert" });
    return el("label", {}, LABELS[key] || key, filterControl(key, params.get(key), words), errors[key]);
  }), el("button", { type: "submit" }, "Filter"), link("/events", "clear"));
  let data;
  try {
    data = await api(path);
  } catch (error) {
    if (error.status !== 422) throw error;
    for (const [field, message] of Object.entries(error.fields)) {
      if (errors[field]) errors[field].textContent = message;
    }
    render(el("h1", {}, "Events"), form,
           el("p", { class: "problem", id: "filter-problem", role: "alert" },
              "No events shown: ", error.message));
    return;
  }
  const sentence = el("div", { id: "sentence", class: "muted" }, "Click an event to see its sentence.");
  const map = el("div", { id: "map", class: "chart map" });
  const mapNote = el("p", { id: "map-note", class: "muted" });
  const rows = data.items.map((event) => el("tr", { class: "clickable event-row",
      onclick: (click) => showSentence(click.currentTarget, event, sentence) },
    el("td", {}, event.date || ""), el("td", {}, actorLink(event.source)),
    el("td", {}, eventWhat(event)), el("td", {}, actorLink(event.target)),
    el("td", {}, event.sentence.text)));
  const page = (delta) => { const next = new URLSearchParams(params);
    next.set("offset", String(Math.max(0, offset + delta))); return `/events?${next}`; };
  const shown = data.items.length ? `showing ${offset + 1}–${offset + data.items.length}` : "";
  render(el("h1", {}, "Events"), form,
    el("div", { class: "pager" }, el("span", { id: "total" }, `${data.total} events`),
       el("span", { class: "muted", id: "range" }, shown),
       el("a", { id: "download-csv", href: csv, download: "events.csv" }, "download CSV"),
       offset > 0 ? link(page(-50), "previous") : null,
       offset + 50 < data.total ? link(page(50), "next") : null),
    sentence, table(["date", "source", "event", "target", "evidence"], rows),
    el("h2", {}, "Map"), map, mapNote);
  const all = new URLSearchParams(query);
  all.set("limit", "500"); all.set("offset", "0");
  api(`/api/events?${all}`).then((every) => drawMap(map, mapNote, every.items, every.total))
    .catch((error) => mapNote.replaceChildren(`Could not draw the map: ${error.message}`));
}

// The events that have a place, on a world map drawn from the server's own TopoJSON
// (/static/map/world_110m.json): no tiles, no CDN. Colour by quad class.
function drawMap(node, note, events, total) {
  const placed = events.filter((e) => e.location && e.location.lat !== null && e.location.lat !== undefined);
  note.textContent = `${placed.length} of ${total} events have a place` +
    (total > events.length ? ` (the map shows the first ${events.length})` : "");
  if (!window.Plotly) return;
  const traces = [1, 2, 3, 4].map((q) => {
    const mine = placed.filter((e) => e.quad_class === q);
    return { type: "scattergeo", mode: "markers", name: QUAD[q],
      lat: mine.map((e) => e.location.lat), lon: mine.map((e) => e.location.lon),
      text: mine.map((e) => `${e.date || ""} ${e.source ? e.source.code : "?"} ${e.cameo} ${cameoName(e.cameo)} ${e.target ? e.target.code : ""} · ${e.location.name || ""}`),
      hoverinfo: "text", marker: { size: 9, color: QUAD_COLOURS[q], line: { width: 1, color: "#fff" } } };
  }).filter((trace) => trace.lat.length);
  Plotly.newPlot(node, traces, { margin: { t: 10, r: 10, l: 10, b: 10 },
    geo: { projection: { type: "natural earth", scale: 1 }, fitbounds: false, scope: "world",
           lataxis: { range: [-58, 84] }, lonaxis: { range: [-180, 180] }, showcountries: true, countrycolor: "#c8ced6",
           showland: true, landcolor: "#f3f5f7", showocean: true, oceancolor: "#e8f0f8",
           coastlinecolor: "#aab3bd" },
    legend: { orientation: "h" } },
    { displayModeBar: false, responsive: true, topojsonURL: "/static/map/" });
}

// -- actors and articles lists ----------------------------------------------------------------

async function actorsView(_, params) {
  const country = params.get("country") || "";
  const path = `/api/actors?limit=500${country ? `&country=${encodeURIComponent(country)}` : ""}`;
  setTwin(path);
  const data = await api(path);
  const form = el("form", { class: "filters", id: "actor-filter", onsubmit: (event) => {
    event.preventDefault();
    const value = new FormData(event.target).get("country");
    go(value ? `/actors?country=${encodeURIComponent(value)}` : "/actors");
  } }, el("label", {}, "country (ISO-3)", el("input", { name: "country", value: country, size: "6" })),
     el("button", { type: "submit" }, "Show"));
  render(el("h1", {}, "Actors"), form,
    data.items.length === 0 ? el("p", { class: "muted" }, "No actors.") : table(
      ["code", "name", "country", "sector", "mentions", "articles"],
      data.items.map((a) => el("tr", { class: "actor-row" },
        el("td", {}, link(`/actors/${encodeURIComponent(a.code.startsWith("---") ? a.code.slice(3) : a.code)}`, a.code)),
        el("td", {}, a.name), el("td", {}, a.country || ""), el("td", {}, a.sector || ""),
        el("td", {}, a.mentions), el("td", {}, a.articles)))));
}

async function articlesView(_, params) {
  const search = params.get("search") || "";
  const query = new URLSearchParams({ limit: "200" });
  if (search) query.set("search", search);
  const path = `/api/articles?${query}`;
  setTwin(path);
  const form = el("form", { class: "filters", id: "search", role: "search", onsubmit: (event) => {
    event.preventDefault();
    const value = new FormData(event.target).get("search");
    go(value ? `/articles?search=${encodeURIComponent(value)}` : "/articles");
  } }, el("label", {}, "full-text search (every word must appear)",
          el("input", { name: "search", type: "search", value: search, size: "30" })),
     el("button", { type: "submit" }, "Search"));
  let data;
  try { data = await api(path); } catch (error) {
    if (error.status !== 422 && error.status !== 400) throw error;
    render(el("h1", {}, "Articles"), form, el("p", { class: "problem", role: "alert" }, error.message));
    return;
  }
  render(el("h1", {}, search ? `Articles matching “${search}”` : "Articles"), form,
    data.items.length === 0 ? el("p", { class: "muted", id: "no-articles" }, "No articles match.") : table(
      ["published", "title", "outlet", "dateline", "original"],
      data.items.map((a) => el("tr", { class: "article-row" }, el("td", {}, a.published || ""),
        el("td", {}, link(`/articles/${a.id}`, a.title || `(no title) ${a.id.slice(0, 8)}`)),
        el("td", {}, a.outlet || ""),
        el("td", {}, a.dateline ? `${a.dateline.place} (${a.dateline.country || "?"})` : ""),
        el("td", {}, externalLink(a.url, "original") || el("span", { class: "muted" }, "—"))))));
}

async function claimsView(_, params) {
  const status = params.get("status");
  const path = `/api/claims?limit=100${status ? `&status=${encodeURIComponent(status)}` : ""}`;
  setTwin(path);
  const data = await api(path);
  render(el("h1", {}, "Claims"),
    el("p", {}, ["reported", "disputed", "denied", "confirmed"].map((s) =>
      el("span", {}, link(`/claims?status=${s}`, s), " "))),
    table(["status", "claim", "asserted by", "denied by", "evidence"], data.items.map((c) =>
      el("tr", { class: "claim-row" }, el("td", {}, badge(c.status)),
        el("td", {}, c.event ? `${c.event.source ? c.event.source.code : "?"} ${c.event.cameo} ${c.event.target ? c.event.target.code : ""}` : ""),
        el("td", {}, c.asserted_by.join(", ") || "—"), el("td", {}, c.denied_by.join(", ") || "—"),
        el("td", {}, c.event ? link(`/articles/${c.event.article_id}`, c.event.sentence.text) : "")))));
}

// -- actors -----------------------------------------------------------------------------------

async function actorView(code) {
  const path = `/api/actors/${encodeURIComponent(code)}`;
  setTwin(path);
  const actor = await api(path);
  const network = el("div", { id: "network", class: "chart" });
  const series = el("div", { id: "partners-goldstein", class: "chart" });
  render(el("h1", {}, `${actor.code} `, el("span", { class: "muted" }, (actor.names || []).slice(0, 3).join(", "))),
    el("p", { class: "muted" }, `${actor.mention_count} mentions in ${actor.articles} articles`),
    actor.codes.length ? el("p", { id: "codes" }, "Codes of this country: ",
      actor.codes.map((c) => el("span", {}, link(`/actors/${c.code}`, c.code),
                                 ` (${c.mentions}) `))) : null,
    el("div", { class: "grid" },
       el("div", { class: "panel" }, el("h2", {}, "Partners"), network),
       el("div", { class: "panel" }, el("h2", {}, "Goldstein towards each partner"), series)),
    el("h2", {}, "Partners"),
    table(["partner", "events", "from " + actor.code, "towards " + actor.code, "mean Goldstein"],
      actor.partners.map((p) => el("tr", {}, el("td", {}, link(`/actors/${p.partner}`, p.partner)),
        el("td", {}, p.events), el("td", {}, p.outgoing), el("td", {}, p.incoming),
        el("td", {}, p.mean_goldstein)))),
    el("h2", {}, "Mentions"),
    table(["article", "text", "rule"], (actor.mentions || []).map((m) => el("tr", {},
      el("td", {}, link(`/articles/${m.article_id}`, m.published || m.article_id)),
      el("td", {}, m.text), el("td", { class: "code" }, m.rule)))));
  drawNetwork(network, actor.code, actor.partners);
  drawSeries(series, actor.series);
}

function drawNetwork(node, center, partners) {
  if (!window.Plotly || partners.length === 0) {
    node.replaceChildren(el("p", { class: "muted" }, "No partners."));
    return;
  }
  const angle = (i) => (2 * Math.PI * i) / partners.length;
  const edges = partners.map((p, i) => ({ type: "scatter", mode: "lines", hoverinfo: "skip",
    x: [0, Math.cos(angle(i))], y: [0, Math.sin(angle(i))], showlegend: false,
    line: { width: 1 + Math.log2(1 + p.events) * 1.5,
            color: p.mean_goldstein < 0 ? "#b3362b" : "#2e7d4f" } }));
  const nodes = { type: "scatter", mode: "markers+text", showlegend: false,
    x: [0, ...partners.map((_, i) => Math.cos(angle(i)))],
    y: [0, ...partners.map((_, i) => Math.sin(angle(i)))],
    text: [center, ...partners.map((p) => p.partner)], textposition: "top center",
    marker: { size: [22, ...partners.map((p) => 10 + Math.min(20, p.events))], color: "#1f5fa8" },
    hovertext: [center, ...partners.map((p) => `${p.partner}: ${p.events} events, Goldstein ${p.mean_goldstein}`)],
    hoverinfo: "text" };
  Plotly.newPlot(node, [...edges, nodes], { margin: { t: 10, r: 10, l: 10, b: 10 },
    xaxis: { visible: false, range: [-1.4, 1.4] }, yaxis: { visible: false, range: [-1.3, 1.4] } },
    { displayModeBar: false, responsive: true });
}

function drawSeries(node, series) {
  const names = Object.keys(series || {});
  if (!window.Plotly || names.length === 0) {
    node.replaceChildren(el("p", { class: "muted" }, "No dated events."));
    return;
  }
  Plotly.newPlot(node, names.map((name) => ({ type: "scatter", mode: "lines+markers", name,
    x: series[name].map((s) => s.period), y: series[name].map((s) => s.mean_goldstein) })),
    { margin: { t: 10, r: 10, l: 60, b: 50 },
      yaxis: { range: [-10, 10], title: { text: "mean Goldstein" } },
      xaxis: { type: "category", title: { text: "period" } },
      legend: { orientation: "h" } }, { displayModeBar: false, responsive: true });
}

// -- articles ---------------------------------------------------------------------------------

async function articleView(id) {
  const path = `/api/articles/${id}`;
  setTwin(path);
  const article = await api(path);
  const sentences = new Map();
  for (const event of article.events) {
    const key = event.sentence.span.join(":");
    if (!sentences.has(key)) sentences.set(key, { span: event.sentence.span, events: [] });
    sentences.get(key).events.push(event);
  }
  const ordered = [...sentences.values()].sort((a, b) => a.span[0] - b.span[0]);
  const text = el("div", { class: "article-text", id: "article-text" });
  let at = 0;
  for (const sentence of ordered) {
    const start = sentence.span[0];
    const end = start + article.text.slice(start, sentence.span[1]).trimEnd().length;
    if (start < at) continue;
    text.appendChild(document.createTextNode(article.text.slice(at, start)));
    text.appendChild(el("mark", { "data-span": sentence.span.join(":"),
      title: sentence.events.map((e) => `${e.cameo} ${cameoName(e.cameo)}`).join(", "),
      onclick: (click) => activate(click.currentTarget) }, article.text.slice(start, end)));
    at = end;
  }
  text.appendChild(document.createTextNode(article.text.slice(at)));
  const rows = article.events.map((event) => el("tr", { class: "clickable event-row",
      onclick: (click) => {
        for (const selected of document.querySelectorAll("tr.selected")) selected.classList.remove("selected");
        click.currentTarget.classList.add("selected");
        activate(text.querySelector(`mark[data-span="${event.sentence.span.join(":")}"]`));
      } },
    el("td", {}, actorLink(event.source)), el("td", {}, eventWhat(event)),
    el("td", {}, actorLink(event.target)), el("td", {}, event.date || ""),
    el("td", {}, event.attributed_to.join(", ")), el("td", { class: "code" }, event.rule)));
  const meta = [article.published, article.outlet,
                article.dateline ? `dateline ${article.dateline.place} (${article.dateline.country || "?"})` : null]
    .filter(Boolean).join(" · ");
  render(el("h1", { id: "article-title" }, article.title || "(no title)"),
    el("p", { class: "muted" }, meta, " ",
       article.story_id ? link(`/stories/${article.story_id}`, "· its story") : null,
       article.url ? " · " : null, externalLink(article.url, "original")),
    el("h2", {}, "Events"), table(["source", "event", "target", "date", "according to", "rule"], rows),
    el("h2", {}, "Text"), text);
}

function activate(mark) {
  if (!mark) return;
  for (const other of document.querySelectorAll("mark.active")) other.classList.remove("active");
  mark.classList.add("active");
  mark.scrollIntoView({ block: "center" });
}
