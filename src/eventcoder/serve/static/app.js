// eventcoder dashboard: vanilla JS + SVG, no network beyond this server.
// Every piece of data reaches the page through textContent or an SVG
// attribute, never parsed as HTML, so a title like <img onerror=…> stays text.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const QUAD = {
  1: { label: "Verbal cooperation", color: "#6aaed6" },
  2: { label: "Material cooperation", color: "#2b7bba" },
  3: { label: "Verbal conflict", color: "#f4a259" },
  4: { label: "Material conflict", color: "#c8423b" },
  0: { label: "Unclassified", color: "#9aa5b1" },
};
const FILTER_NAMES = ["since", "until", "type", "modality", "actor", "place", "q"];
const state = { filters: {}, cursors: [null], page: 0, nextCursor: null, selected: null };

// ---------- small DOM helpers (text only) ----------

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "className") node.className = value;
    else node.setAttribute(key, String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "text") node.textContent = String(value);
    else node.setAttribute(key, String(value));
  }
  if (parent) parent.append(node);
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function setStatus(message, isError = false) {
  const status = document.getElementById("status");
  status.textContent = message || "";
  status.classList.toggle("error", Boolean(isError));
}

// ---------- API ----------

async function api(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
  }
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    throw new Error(message);
  }
  return body;
}

function readFilters() {
  const form = document.getElementById("filters");
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = form.elements[name].value.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

// ---------- summary and filter options ----------

function fillSelect(select, entries) {
  for (const [value, count] of entries) {
    select.append(el("option", { value, text: count === null ? value : `${value} (${count})` }));
  }
}

async function loadSummary() {
  const summary = await api("/api/summary");
  state.summary = summary;
  const list = document.getElementById("summary");
  clear(list);
  const stats = [
    ["documents", summary.documents], ["events", summary.events],
    ["stories", summary.stories], ["multi-source", summary.merged_stories],
  ];
  for (const [label, value] of stats) {
    list.append(el("div", {}, [el("dt", { text: label }), el("dd", { text: (value ?? 0).toLocaleString() })]));
  }
  fillSelect(document.getElementById("f-type"), Object.entries(summary.by_type || {}).sort());
  fillSelect(document.getElementById("f-modality"), Object.entries(summary.by_modality || {}));
}

function drawLegend() {
  const legend = document.getElementById("quad-legend");
  for (const quad of [1, 2, 3, 4]) {
    const swatch = el("span", { className: "swatch" });
    swatch.style.background = QUAD[quad].color;
    legend.append(el("span", { className: "legend-item" }, [swatch, QUAD[quad].label]));
  }
}

// ---------- timeline ----------

// Every period from the first to the last, so that gaps in time show as gaps.
function fillPeriods(first, last, bucket) {
  const periods = [];
  const day = new Date(first + "T00:00:00Z");
  const end = new Date(last + "T00:00:00Z");
  while (day <= end && periods.length < 2000) {
    periods.push(day.toISOString().slice(0, 10));
    if (bucket === "day") day.setUTCDate(day.getUTCDate() + 1);
    else if (bucket === "month") day.setUTCMonth(day.getUTCMonth() + 1);
    else day.setUTCFullYear(day.getUTCFullYear() + 1);
  }
  return periods;
}

async function fetchTimeline(filters) {
  // Months first; a span of a few months is shown per day, a span of decades per year.
  let data = await api("/api/timeline", { ...filters, bucket: "month" });
  const months = data.items.length ? fillPeriods(data.items[0].period, data.items[data.items.length - 1].period, "month").length : 0;
  if (months && months <= 3) data = await api("/api/timeline", { ...filters, bucket: "day" });
  else if (months > 240) data = await api("/api/timeline", { ...filters, bucket: "year" });
  return data;
}

async function drawTimeline(filters) {
  const data = await fetchTimeline(filters);
  document.getElementById("timeline-bucket").textContent = `per ${data.bucket}`;
  const periods = new Map();
  for (const item of data.items) {
    const row = { 1: 0, 2: 0, 3: 0, 4: 0, 0: 0 };
    for (const [quad, count] of Object.entries(item.by_quad_class || {})) row[quad in QUAD ? quad : 0] += count;
    periods.set(item.period, row);
  }
  const known = [...periods.keys()].sort();
  const keys = known.length ? fillPeriods(known[0], known[known.length - 1], data.bucket) : [];
  for (const key of keys) if (!periods.has(key)) periods.set(key, { 1: 0, 2: 0, 3: 0, 4: 0, 0: 0 });

  const chart = document.getElementById("timeline");
  clear(chart);
  const width = 900, height = 200, left = 36, bottom = 26, top = 8;
  if (!keys.length) {
    svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty", text: "No dated events" }, chart);
    return;
  }
  const totals = keys.map((key) => Object.values(periods.get(key)).reduce((a, b) => a + b, 0));
  const max = Math.max(...totals, 1);
  const slot = (width - left - 4) / keys.length;
  const barWidth = Math.max(1, Math.min(40, slot * 0.8));
  const scaleY = (value) => (value / max) * (height - bottom - top);
  svg("line", { x1: left, x2: width, y1: height - bottom, y2: height - bottom, class: "axis" }, chart);
  for (const tick of [0, Math.ceil(max / 2), max]) {
    const y = height - bottom - scaleY(tick);
    svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "tick", text: tick }, chart);
    svg("line", { x1: left, x2: width, y1: y, y2: y, class: "gridline" }, chart);
  }
  const labelEvery = Math.ceil(keys.length / 12);
  keys.forEach((key, index) => {
    const x = left + index * slot + (slot - barWidth) / 2;
    let y = height - bottom;
    const group = svg("g", { class: "bar", "data-period": key }, chart);
    svg("title", { text: `${key}: ${totals[index]} events` }, group);
    for (const quad of [1, 2, 3, 4, 0]) {
      const value = periods.get(key)[quad];
      if (!value) continue;
      const h = scaleY(value);
      y -= h;
      svg("rect", { x, y, width: barWidth, height: h, fill: QUAD[quad].color }, group);
    }
    if (index % labelEvery === 0) {
      const label = data.bucket === "month" ? key.slice(0, 7) : data.bucket === "year" ? key.slice(0, 4) : key;
      svg("text", { x: x + barWidth / 2, y: height - 8, "text-anchor": "middle", class: "tick", text: label }, chart);
    }
  });
}

// ---------- network (own force layout) ----------

function goldsteinColor(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "#9aa5b1";
  const t = Math.max(-1, Math.min(1, value / 10));
  const grey = [154, 165, 177];
  const end = t < 0 ? [200, 66, 59] : [43, 123, 186];
  const mix = grey.map((g, i) => Math.round(g + (end[i] - g) * Math.abs(t)));
  return `rgb(${mix[0]},${mix[1]},${mix[2]})`;
}

function forceLayout(nodes, edges, width, height) {
  const n = nodes.length;
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const pos = nodes.map((_, i) => {
    const angle = (2 * Math.PI * i) / Math.max(n, 1);
    return { x: width / 2 + (width / 3) * Math.cos(angle), y: height / 2 + (height / 3) * Math.sin(angle) };
  });
  const k = Math.min(110, Math.sqrt((width * height) / Math.max(n, 1)) * 0.45);
  let temperature = width / 8;
  for (let iteration = 0; iteration < 300; iteration++) {
    const disp = pos.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i].x - pos[j].x || 0.01, dy = pos[i].y - pos[j].y || 0.01;
        const dist = Math.max(Math.hypot(dx, dy), 0.01);
        const force = (k * k) / dist;
        disp[i].x += (dx / dist) * force; disp[i].y += (dy / dist) * force;
        disp[j].x -= (dx / dist) * force; disp[j].y -= (dy / dist) * force;
      }
    }
    for (const edge of edges) {
      const a = index.get(edge.source), b = index.get(edge.target);
      if (a === undefined || b === undefined || a === b) continue;
      const dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
      const dist = Math.max(Math.hypot(dx, dy), 0.01);
      const force = (dist * dist) / k;
      disp[a].x -= (dx / dist) * force; disp[a].y -= (dy / dist) * force;
      disp[b].x += (dx / dist) * force; disp[b].y += (dy / dist) * force;
    }
    for (let i = 0; i < n; i++) {
      disp[i].x += (width / 2 - pos[i].x) * 0.6;  // gravity keeps separate components near the middle
      disp[i].y += (height / 2 - pos[i].y) * 0.6;
      const length = Math.max(Math.hypot(disp[i].x, disp[i].y), 0.01);
      pos[i].x = Math.min(width - 30, Math.max(30, pos[i].x + (disp[i].x / length) * Math.min(length, temperature)));
      pos[i].y = Math.min(height - 24, Math.max(24, pos[i].y + (disp[i].y / length) * Math.min(length, temperature)));
    }
    temperature *= 0.985;
  }
  return pos;
}

async function drawNetwork(filters) {
  const data = await api("/api/network", { ...filters, limit: 60 });
  const chart = document.getElementById("network");
  clear(chart);
  const width = 600, height = 420;
  const defs = svg("defs", {}, chart);
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, defs);
  svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }, marker);
  if (!data.nodes.length) {
    svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty", text: "No actor pairs" }, chart);
    return;
  }
  const pos = forceLayout(data.nodes, data.edges, width, height);
  const index = new Map(data.nodes.map((node, i) => [node.id, i]));
  const maxWeight = Math.max(...data.edges.map((edge) => edge.weight), 1);
  const maxCount = Math.max(...data.nodes.map((node) => node.weight || 1), 1);
  const radius = (node) => 5 + 9 * Math.sqrt((node.weight || 1) / maxCount);
  const edgeLayer = svg("g", { class: "edges" }, chart);
  for (const edge of data.edges) {
    const a = index.get(edge.source), b = index.get(edge.target);
    if (a === undefined || b === undefined) continue;
    const dx = pos[b].x - pos[a].x, dy = pos[b].y - pos[a].y;
    const dist = Math.max(Math.hypot(dx, dy), 0.01);
    const rb = radius(data.nodes[b]) + 2;
    const line = svg("line", {
      x1: pos[a].x, y1: pos[a].y, x2: pos[b].x - (dx / dist) * rb, y2: pos[b].y - (dy / dist) * rb,
      stroke: goldsteinColor(edge.mean_goldstein), "stroke-width": 1.2 + 4 * (edge.weight / maxWeight),
      "marker-end": "url(#arrow)", class: "edge",
    }, edgeLayer);
    const mean = edge.mean_goldstein === null || edge.mean_goldstein === undefined ? "n/a" : edge.mean_goldstein.toFixed(1);
    svg("title", { text: `${data.nodes[a].name} → ${data.nodes[b].name}: ${edge.weight} events, mean Goldstein ${mean}` }, line);
  }
  const nodeLayer = svg("g", { class: "nodes" }, chart);
  data.nodes.forEach((node, i) => {
    const group = svg("g", { class: "node", transform: `translate(${pos[i].x.toFixed(1)},${pos[i].y.toFixed(1)})`, tabindex: 0 }, nodeLayer);
    svg("circle", { r: radius(node) }, group);
    const onRight = pos[i].x < width * 0.62;
    svg("text", { x: onRight ? radius(node) + 4 : -radius(node) - 4, y: 4, "text-anchor": onRight ? "start" : "end", text: node.name || node.id }, group);
    svg("title", { text: `${node.name || node.id} (${node.id}): ${node.weight || 0} events` }, group);
    group.addEventListener("click", () => setFilterAndReload("actor", node.id));
    group.addEventListener("keydown", (ev) => { if (ev.key === "Enter") setFilterAndReload("actor", node.id); });
  });
}

// ---------- map (TopoJSON decoded here; equirectangular projection) ----------

function decodeArcs(topology) {
  const [sx, sy] = topology.transform.scale, [tx, ty] = topology.transform.translate;
  return topology.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
  });
}

function ringPath(ring, arcs, project) {
  const points = [];
  for (const reference of ring) {
    const arc = reference < 0 ? arcs[~reference].slice().reverse() : arcs[reference];
    points.push(...(points.length ? arc.slice(1) : arc));
  }
  return "M" + points.map((p) => project(p[0], p[1]).map((v) => v.toFixed(1)).join(",")).join("L") + "Z";
}

function geometryPath(geometry, arcs, project) {
  const polygons = geometry.type === "Polygon" ? [geometry.arcs] : geometry.type === "MultiPolygon" ? geometry.arcs : [];
  return polygons.map((polygon) => polygon.map((ring) => ringPath(ring, arcs, project)).join("")).join("");
}

// Equirectangular, cropped to 84°N..58°S (Antarctica adds nothing for news events).
const MAP = { width: 720, height: 284, north: 84, south: -58 };
const projectLonLat = (lon, lat) => [
  ((lon + 180) / 360) * MAP.width,
  ((MAP.north - lat) / (MAP.north - MAP.south)) * MAP.height,
];
let worldLayer = null;

async function loadWorld() {
  const response = await fetch("/static/vendor/world-atlas/countries-110m.json");
  const topology = await response.json();
  const arcs = decodeArcs(topology);
  const group = document.createElementNS(SVG_NS, "g");
  group.setAttribute("class", "world");
  svg("rect", { x: 0, y: 0, width: MAP.width, height: MAP.height, class: "ocean" }, group);
  for (let lon = -180; lon <= 180; lon += 30) {
    const [x] = projectLonLat(lon, 0);
    svg("line", { x1: x, x2: x, y1: 0, y2: MAP.height, class: "graticule" }, group);
  }
  for (let lat = -60; lat <= 60; lat += 30) {
    const [, y] = projectLonLat(0, lat);
    svg("line", { x1: 0, x2: MAP.width, y1: y, y2: y, class: "graticule" }, group);
  }
  for (const country of topology.objects.countries.geometries) {
    const path = svg("path", { d: geometryPath(country, arcs, projectLonLat), class: "country" }, group);
    svg("title", { text: country.properties.name }, path);
  }
  worldLayer = group;
}

async function drawMap(filters) {
  const data = await api("/api/places", filters);
  const chart = document.getElementById("map");
  clear(chart);
  if (worldLayer) chart.append(worldLayer);
  const maxCount = Math.max(...data.items.map((place) => place.count), 1);
  const points = svg("g", { class: "points" }, chart);
  for (const place of data.items) {
    if (place.lat === null || place.lon === null || place.lat === undefined) continue;
    const [x, y] = projectLonLat(place.lon, place.lat);
    const circle = svg("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: (3 + 9 * Math.sqrt(place.count / maxCount)).toFixed(1), class: "place" }, points);
    svg("title", { text: `${place.name}${place.country ? " (" + place.country + ")" : ""}: ${place.count} events` }, circle);
    circle.addEventListener("click", () => setFilterAndReload("place", place.name));
  }
}

// ---------- event table ----------

function actorName(ref) {
  return ref ? ref.name || ref.id : "—";
}

function eventRow(event) {
  const quad = QUAD[event.quad_class] || QUAD[0];
  const typeCell = el("td", {}, [el("span", { className: "type-chip", text: event.type })]);
  typeCell.firstChild.style.borderColor = quad.color;
  const row = el("tr", { tabindex: 0, "data-event-id": event.id }, [
    el("td", { text: event.date || "—", className: "nowrap" }),
    typeCell,
    el("td", { text: actorName(event.actor) }),
    el("td", { text: actorName(event.recipient) }),
    el("td", {}, [el("span", { className: `badge modality-${event.modality}`, text: event.modality })]),
    el("td", { text: event.location ? event.location.name : "—" }),
    el("td", { text: event.document_title || event.document_id || "—", className: "doc-title" }),
    el("td", { text: event.confidence === null || event.confidence === undefined ? "—" : event.confidence.toFixed(2), className: "num" }),
  ]);
  row.addEventListener("click", () => selectEvent(event.id, row));
  row.addEventListener("keydown", (ev) => { if (ev.key === "Enter") selectEvent(event.id, row); });
  return row;
}

async function drawTable() {
  const cursor = state.cursors[state.page];
  const data = await api("/api/events", { ...state.filters, limit: 25, cursor });
  const body = document.querySelector("#events tbody");
  clear(body);
  for (const event of data.items) body.append(eventRow(event));
  if (!data.items.length) body.append(el("tr", {}, [el("td", { colspan: 8, className: "empty", text: "No events match these filters." })]));
  state.nextCursor = data.next_cursor;
  document.getElementById("table-count").textContent = `${(data.total ?? data.items.length).toLocaleString()} matching`;
  document.getElementById("page-label").textContent = `page ${state.page + 1}`;
  document.getElementById("prev").disabled = state.page === 0;
  document.getElementById("next").disabled = !data.next_cursor;
}

// ---------- evidence view ----------

function badge(label, value, className = "") {
  return el("span", { className: `badge ${className}` }, [el("b", { text: `${label}: ` }), value]);
}

function overlaps(span, start, end) {
  return span.start < end && start < span.end;
}

// Text from `start` to `end` with every mention span inside it wrapped in <mark class="mention">.
function appendWithMentions(parent, text, start, end, mentions) {
  let cursor = start;
  const inside = mentions.filter((m) => m.start >= start && m.end <= end).sort((a, b) => a.start - b.start);
  for (const mention of inside) {
    if (mention.start < cursor) continue;
    parent.append(text.slice(cursor, mention.start));
    parent.append(el("mark", { className: "mention", text: text.slice(mention.start, mention.end) }));
    cursor = mention.end;
  }
  parent.append(text.slice(cursor, end));
}

// The window of document text the API sent, evidence marked, trigger emphasised, other mentions tinted.
function renderPassage(event) {
  const passage = el("blockquote", { className: "passage" });
  const evidence = event.evidence || {};
  const window_ = event.window;
  const offset = window_ ? window_.start : 0;
  const text = window_ ? window_.text : "";
  const start = evidence.start - offset, end = evidence.end - offset;
  if (!window_ || start < 0 || end > text.length || text.slice(start, end) !== evidence.text) {
    passage.append(el("mark", { className: "evidence", text: evidence.text || "" }));
    return passage;
  }
  const mentions = (event.mentions || [])
    .map((m) => ({ start: m.start - offset, end: m.end - offset }))
    .filter((m) => !overlaps(m, start, end));
  if (offset > 0) passage.append("… ");
  appendWithMentions(passage, text, 0, start, mentions);
  const mark = el("mark", { className: "evidence" });
  const trigger = evidence.trigger;
  const tStart = trigger ? trigger.start - offset : -1, tEnd = trigger ? trigger.end - offset : -1;
  if (trigger && tStart >= start && tEnd <= end && tStart < tEnd) {
    mark.append(text.slice(start, tStart));
    mark.append(el("strong", { className: "trigger", text: text.slice(tStart, tEnd) }));
    mark.append(text.slice(tEnd, end));
  } else {
    mark.textContent = text.slice(start, end);
  }
  passage.append(mark);
  appendWithMentions(passage, text, end, text.length, mentions);
  return passage;
}

function describeDate(event) {
  if (!event.date) return "unknown";
  return `${event.date} (${event.date_precision})${event.date_text ? ` from “${event.date_text}”` : ""}`;
}

function describeLocation(location) {
  if (!location) return "—";
  const parts = [location.name, location.admin1, location.country].filter(Boolean);
  const coords = location.lat !== null && location.lat !== undefined ? ` · ${location.lat.toFixed(2)}, ${location.lon.toFixed(2)}` : "";
  return parts.join(", ") + coords;
}

function renderEvidence(event) {
  const panel = document.getElementById("evidence");
  clear(panel);
  const doc = event.document || {};
  const quad = QUAD[event.quad_class] || QUAD[0];
  const heading = el("h2", {}, [el("span", { className: "type-chip", text: event.type }), ` ${actorName(event.actor)} → ${actorName(event.recipient)}`]);
  heading.firstChild.style.borderColor = quad.color;
  panel.append(heading);
  const badges = el("div", { className: "badges" }, [
    badge("modality", event.modality, `modality-${event.modality}`),
    badge("attributed to", event.attributed_to ? actorName(event.attributed_to) : "the author"),
    badge("date", describeDate(event)),
    badge("place", describeLocation(event.location)),
    badge("quad", quad.label),
    badge("Goldstein", event.goldstein === null || event.goldstein === undefined ? "—" : String(event.goldstein)),
    badge("confidence", event.confidence === null || event.confidence === undefined ? "—" : event.confidence.toFixed(2)),
  ]);
  if (event.mode) badges.append(badge("mode", event.mode));
  if (event.cameo) badges.append(badge("CAMEO", event.cameo));
  if ((event.disputed_by || []).length) badges.append(badge("disputed by", event.disputed_by.join(", "), "disputed"));
  panel.append(badges);
  panel.append(el("p", { className: "doc-meta" }, [
    el("span", { className: "doc-title", text: doc.title || "(untitled document)" }),
    ` · ${doc.source || "unknown source"} · published ${doc.published || "unknown"}`,
  ]));
  panel.append(renderPassage(event));
  const mentions = event.mentions || [];
  const list = el("ol", { className: "mentions" });
  for (const mention of mentions) {
    const mentionText = mention.text || mentionFromWindow(event.window, mention);
    list.append(el("li", {}, [el("q", { text: mentionText }), el("span", { className: "offsets", text: ` [${mention.start}–${mention.end}]` })]));
  }
  panel.append(el("h3", { text: `Mentions (${mentions.length})` }), list);
  const reports = (event.story && event.story.reports) || [];
  if (reports.length > 1) {
    const others = el("ul", { className: "reports" });
    for (const report of reports) {
      const item = el("li", { tabindex: 0 }, [
        el("span", { className: "doc-title", text: report.title || "(untitled)" }),
        ` · ${report.source || "unknown source"} · ${report.published || "undated"}`,
      ]);
      if (report.event_id === event.id) item.classList.add("current");
      else item.addEventListener("click", () => selectEvent(report.event_id, null));
      others.append(item);
    }
    panel.append(el("h3", { text: `Same happening, ${reports.length} reports` }), others);
  }
}

function mentionFromWindow(window_, mention) {
  if (!window_) return "";
  const start = mention.start - window_.start, end = mention.end - window_.start;
  return start >= 0 && end <= window_.text.length ? window_.text.slice(start, end) : "(outside the text window)";
}

async function selectEvent(id, row) {
  for (const other of document.querySelectorAll("#events tr.selected")) other.classList.remove("selected");
  if (row) row.classList.add("selected");
  state.selected = id;
  try {
    renderEvidence(await api(`/api/events/${encodeURIComponent(id)}`));
  } catch (error) {
    setStatus(`Could not load event: ${error.message}`, true);
  }
}

// ---------- wiring ----------

function setFilterAndReload(name, value) {
  document.getElementById("filters").elements[name].value = value;
  applyFilters();
}

async function applyFilters() {
  state.filters = readFilters();
  state.cursors = [null];
  state.page = 0;
  setStatus("Loading…");
  try {
    await Promise.all([drawTimeline(state.filters), drawNetwork(state.filters), drawMap(state.filters), drawTable()]);
    setStatus("");
  } catch (error) {
    setStatus(error.message, true);
  }
}

async function turnPage(step) {
  if (step > 0 && !state.nextCursor) return;
  if (step > 0) { state.cursors[state.page + 1] = state.nextCursor; }
  state.page = Math.max(0, state.page + step);
  try { await drawTable(); } catch (error) { setStatus(error.message, true); }
}

async function start() {
  drawLegend();
  document.getElementById("filters").addEventListener("submit", (ev) => { ev.preventDefault(); applyFilters(); });
  document.getElementById("filters").addEventListener("reset", () => setTimeout(applyFilters, 0));
  document.getElementById("prev").addEventListener("click", () => turnPage(-1));
  document.getElementById("next").addEventListener("click", () => turnPage(1));
  try {
    await Promise.all([loadSummary(), loadWorld()]);
  } catch (error) {
    setStatus(error.message, true);
  }
  await applyFilters();
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
