// loyaltysem local web page: plain JavaScript, no build step, nothing loaded from elsewhere.
// The page keeps the model as a JSON document (see loyaltysem/gui/modelfile.py) and asks the
// local server (loyaltysem/gui/server.py) to read files, draw the figure and run the analysis.
"use strict";

const S = {
  lang: "en", cat: null, choices: {}, defaults: {}, maxMb: 100,
  opened: null, doc: null, options: {}, job: null, error: null,
  previewTimer: null, previewUrl: null, pollTimer: null, reportLang: null,
};
const $ = (id) => document.getElementById(id);
const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

// ------------------------------------------------------------------ helpers
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") el.textContent = v;
    else if (k === "testid") el.dataset.testid = v;
    else if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === "value") el.value = v;
    else if (k === "checked") el.checked = !!v;
    else if (k === "selected") el.selected = !!v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function t(key, params) {
  const words = (S.cat && S.cat[S.lang].words) || {};
  let text = words[key] ?? (S.cat ? S.cat.en.words[key] : undefined) ?? key;
  for (const [k, v] of Object.entries(params || {})) text = text.split(`{${k}}`).join(String(v));
  return text;
}

function option(value, label, selected) {
  return h("option", { value, selected: value === selected }, label);
}

function select(values, current, onChange, attrs) {
  const el = h("select", attrs || {}, values.map(([v, label]) => option(v, label, current)));
  el.value = current;
  el.addEventListener("change", () => onChange(el.value));
  return el;
}

// ``source``: which action the request serves; its error carries it, so that a later success
// of the same action clears that error and no other (a slow preview must not hide the error of
// a file opened meanwhile)
async function api(method, path, body, raw, source) {
  const headers = { "X-Loyaltysem": "1" };
  let payload;
  if (raw) {
    payload = raw.body;
    headers["Content-Type"] = "application/octet-stream";
    headers["X-Filename"] = encodeURIComponent(raw.name || "");
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  } catch (e) {
    showError({ key: "offline", text: "The page cannot reach loyaltysem gui: is it still running?", source });
    return null;
  }
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok) {
    let err = { key: null, text: `${response.status} ${response.statusText}` };
    if (type.startsWith("application/json")) err = (await response.json()).error || err;
    else err.text = (await response.text()) || err.text;
    showError(Object.assign({}, err, { source }));
    return null;
  }
  if (type.startsWith("application/json")) return response.json();
  return response;
}

// ------------------------------------------------------------------ errors
function errorText(err) {
  if (!err) return "";
  if (err.key && S.cat && S.cat.en.words[`errors.${err.key}`] !== undefined)
    return t(`errors.${err.key}`, err.params);
  const text = err.text || "";
  for (const [pattern, template] of (S.cat ? S.cat[S.lang].library : [])) {
    const m = text.match(new RegExp(pattern));
    if (m) {
      let out = template;
      m.forEach((g, i) => { out = out.split(`{${i}}`).join(g ?? ""); });
      return out;
    }
  }
  return text;
}

function showError(err) {
  S.error = err;
  $("error-text").textContent = errorText(err).replace(/\s+/g, " ");
  $("error").hidden = !err;
}

function clearError() { showError(null); }

// ------------------------------------------------------------------ language
function applyLang() {
  document.documentElement.lang = S.lang === "zh" ? "zh-CN" : "en";
  document.title = t("page.title");
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $("lang").value = S.lang;
  if (S.error) showError(S.error);
  renderAll();
  schedulePreview();
}

// ------------------------------------------------------------------ the model document
function constructs() { return S.doc ? S.doc.constructs : []; }
function nameOf(code) {
  const c = constructs().find((x) => x.code === code);
  if (!c) return code;
  const n = (c.name || {})[S.lang] || (c.name || {}).en || code;
  return n === code ? code : `${code} · ${n}`;
}
function itemColumn(it) { return it.column || it.code; }
function allCodes() {
  const out = new Set();
  constructs().forEach((c) => { out.add(c.code); c.items.forEach((it) => out.add(it.code)); });
  return out;
}
function moderatorCodes() { return new Set((S.doc.moderators || []).map((m) => m.z)); }
function onPaths() {
  const out = new Set();
  S.doc.paths.forEach((p) => { out.add(p.from); out.add(p.to); });
  return out;
}

function nextId() {
  const used = new Set([...S.doc.paths, ...S.doc.moderators].filter((x) => x.sign).map((x) => x.id));
  let n = 1;
  while (used.has(`H${n}`)) n += 1;
  return `H${n}`;
}

function changed(redraw) {
  renderAll();
  if (redraw !== false) schedulePreview();
}

function columnRole(name) {
  for (const c of constructs()) {
    if (c.items.some((it) => itemColumn(it) === name)) return `c:${c.code}`;
  }
  if ((S.doc.demographics || []).some((d) => d.code === name)) return "demo";
  const meta = S.doc.meta || {};
  if (meta.id_column === name) return "id";
  if (meta.duration_column === name) return "duration";
  return "";
}

function columnInfo(name) {
  return ((S.opened && S.opened.columns) || []).find((c) => c.name === name);
}

function labelEntry(value, text) {
  const entry = { value };
  if (text) entry[CJK.test(text) ? "zh" : "en"] = text;
  return entry;
}

function removeColumn(name) {
  for (const c of constructs()) c.items = c.items.filter((it) => itemColumn(it) !== name);
  S.doc.demographics = (S.doc.demographics || []).filter((d) => d.code !== name);
  const meta = S.doc.meta || (S.doc.meta = {});
  if (meta.id_column === name) delete meta.id_column;
  if (meta.duration_column === name) delete meta.duration_column;
}

function newItem(name, construct) {
  const taken = allCodes();
  let code = name;
  if (!IDENT.test(code) || taken.has(code)) {
    let n = construct.items.length + 1;
    while (taken.has(`${construct.code}_${n}`)) n += 1;
    code = `${construct.code}_${n}`;
  }
  const item = { code, reverse: false };
  if (code !== name) item.column = name;
  const info = columnInfo(name);
  if (info && info.label) item[CJK.test(info.label) ? "zh" : "en"] = info.label;
  return item;
}

function setColumnRole(name, role) {
  const old = columnRole(name);
  let moved = null;
  for (const c of constructs()) moved = moved || c.items.find((it) => itemColumn(it) === name);
  removeColumn(name);
  if (role.startsWith("c:")) {
    const c = constructs().find((x) => x.code === role.slice(2));
    c.items.push(old.startsWith("c:") && moved ? moved : newItem(name, c));
  } else if (role === "demo") {
    const info = columnInfo(name) || { values: [], label: "" };
    const label = info.label || name;
    S.doc.demographics.push({
      code: name, name: { en: label, zh: label },
      values: (info.values || []).map((v) => labelEntry(v.value, v.label)),
    });
  } else if (role === "id") {
    S.doc.meta.id_column = name;
  } else if (role === "duration") {
    S.doc.meta.duration_column = name;
  }
  changed();
}

function renameConstruct(c, code) {
  if (!IDENT.test(code) || (code !== c.code && allCodes().has(code))) {
    showError({ key: "bad_code", params: { code }, text: `'${code}' is not a valid construct code.` });
    renderAll();
    return;
  }
  const old = c.code;
  c.code = code;
  S.doc.paths.forEach((p) => { if (p.from === old) p.from = code; if (p.to === old) p.to = code; });
  S.doc.moderators.forEach((m) => {
    ["z", "x", "y"].forEach((k) => { if (m[k] === old) m[k] = code; });
  });
  clearError();
  changed();
}

// ------------------------------------------------------------------ rendering: data
function renderData() {
  const box = $("data-summary");
  box.replaceChildren();
  $("intro").hidden = !!S.opened;
  if (!S.opened) { $("columns-box").hidden = true; return; }
  const o = S.opened;
  box.append(h("p", { class: "summary", testid: "data-summary" },
    t("data.summary", { file: o.file, rows: o.rows, columns: o.columns.length })));
  if (o.note) box.append(h("p", { class: "note" }, t("data.no_items")));
  const notes = o.notes || {};
  if (notes.missing_codes)
    box.append(h("p", { class: "note" }, t("data.codes", { codes: notes.missing_codes })));
  $("columns-box").hidden = false;
  const roles = [["", t("data.role_none")]]
    .concat(constructs().map((c) => [`c:${c.code}`, t("data.role_item", { code: c.code })]))
    .concat([["demo", t("data.role_demo")], ["id", t("data.role_id")], ["duration", t("data.role_duration")]]);
  const unused = new Map((notes.unused || []).map((u) => [u.column, u[S.lang] || u.en]));
  const table = $("columns");
  table.replaceChildren(h("thead", {}, h("tr", {},
    ["data.col_name", "data.col_label", "data.col_missing", "data.col_role"].map((k) => h("th", { text: t(k) })))));
  const body = h("tbody");
  for (const col of o.columns) {
    const role = columnRole(col.name);
    const why = !role && unused.get(col.name);
    body.append(h("tr", { "data-column": col.name },
      h("td", { class: "mono", text: col.name }),
      h("td", { text: col.label, title: col.label }),
      h("td", { class: "count", text: String(col.missing) }),
      h("td", {}, select(roles, role, (v) => setColumnRole(col.name, v), { testid: "column-role" }),
        why ? h("span", { class: "hint", text: ` ${why}` }) : null)));
  }
  table.append(body);
}

// ------------------------------------------------------------------ rendering: constructs
function itemRow(c, it) {
  const others = [["", "—"]].concat(constructs().filter((x) => x !== c)
    .map((x) => [`c:${x.code}`, t("constructs.move_to", { code: x.code })]))
    .concat([["none", t("constructs.not_used")]]);
  const wording = it[S.lang] || it.en || it.zh || "";
  const col = it.column && it.column !== it.code ? ` (${it.column})` : "";
  return h("li", { class: "item", testid: "item", "data-code": it.code },
    h("label", { class: "rev", title: t("constructs.reverse_hint") },
      h("input", { type: "checkbox", testid: "reverse", checked: it.reverse, "aria-label": t("constructs.reverse"),
        on: { change: (e) => { it.reverse = e.target.checked; changed(false); } } })),
    h("span", { class: "mono code", text: it.code + col }),
    h("span", { class: "wording", text: wording, title: wording }),
    select(others, "", (v) => {
      if (!v) return;
      c.items = c.items.filter((x) => x !== it);
      if (v.startsWith("c:")) constructs().find((x) => x.code === v.slice(2)).items.push(it);
      changed();
    }, { testid: "move", class: "move", title: t("constructs.move_hint") }));
}

function nameInput(obj, lang, testid) {
  obj.name = obj.name || {};
  return h("input", { type: "text", value: obj.name[lang] || "", testid, placeholder: lang === "en" ? "English" : "中文",
    on: { change: (e) => { obj.name[lang] = e.target.value.trim() || obj.code; changed(); } } });
}

function constructCard(c) {
  const isMod = moderatorCodes().has(c.code);
  return h("div", { class: "card", testid: "construct", "data-code": c.code },
    h("div", { class: "card-head" },
      h("input", { type: "text", class: "mono code-input", value: c.code, testid: "construct-code", title: t("constructs.code"),
        on: { change: (e) => renameConstruct(c, e.target.value.trim()) } }),
      h("span", { class: "hint", text: `${c.items.length} ${t("constructs.items")}` }),
      isMod ? h("span", { class: "tag", text: t("constructs.moderator") }) : null,
      c.items.length ? null : h("button", { type: "button", class: "small", text: t("constructs.delete"),
        on: { click: () => { S.doc.constructs = constructs().filter((x) => x !== c); changed(); } } })),
    h("div", { class: "names" },
      h("label", {}, h("span", { text: "EN" }), nameInput(c, "en", "construct-name-en")),
      h("label", {}, h("span", { text: "中文" }), nameInput(c, "zh", "construct-name-zh"))),
    c.items.length ? h("ul", { class: "items" }, h("li", { class: "item head" },
      h("span", { text: t("constructs.reverse"), title: t("constructs.reverse_hint") }), h("span", { text: t("constructs.item") }),
      h("span", { text: t("constructs.wording") }), h("span", { text: t("constructs.move") })),
      c.items.map((it) => itemRow(c, it)))
      : h("p", { class: "hint", text: t("constructs.empty") }));
}

function renderConstructs() {
  const s = S.doc.scale || (S.doc.scale = {});
  $("scale-min").value = s.min ?? "";
  $("scale-max").value = s.max ?? "";
  const rev = (S.opened && S.opened.notes && S.opened.notes.reverse) || [];
  $("reverse-note").textContent = rev.length ? t("constructs.reverse_found", { items: rev.join(", ") }) : "";
  $("constructs").replaceChildren(...constructs().map(constructCard));
  const demo = $("demographics");
  demo.replaceChildren();
  for (const d of S.doc.demographics || []) {
    demo.append(h("div", { class: "row demo", testid: "demographic", "data-code": d.code },
      h("span", { class: "mono code", text: d.code }),
      h("label", {}, h("span", { text: "EN" }), nameInput(d, "en")),
      h("label", {}, h("span", { text: "中文" }), nameInput(d, "zh")),
      h("button", { type: "button", class: "small", text: t("constructs.remove"),
        on: { click: () => setColumnRole(d.code, "") } })));
  }
  if (!(S.doc.demographics || []).length) demo.append(h("p", { class: "hint", text: t("constructs.no_demographics") }));
}

// ------------------------------------------------------------------ rendering: model
const SIGNS = () => [["+", t("model.sign_plus")], ["-", t("model.sign_minus")],
  ["two-sided", t("model.sign_two")], ["", t("model.sign_none")]];

function hypothesisCells(entry) {
  return [
    h("td", {}, h("input", { type: "text", class: "short mono", value: entry.sign ? entry.id : "", testid: "hyp-id",
      disabled: !entry.sign, on: { change: (e) => { entry.id = e.target.value.trim(); changed(); } } })),
    h("td", {}, select(SIGNS(), entry.sign || "", (v) => {
      entry.sign = v;
      if (v && !entry.id) entry.id = nextId();
      if (!v) entry.id = "";
      changed();
    }, { testid: "hyp-sign" })),
  ];
}

function mediators() {
  // each construct with paths in and out: "X1, X2 → M → Y1, Y2"
  const out = [];
  for (const c of constructs()) {
    const ins = S.doc.paths.filter((p) => p.to === c.code).map((p) => p.from);
    const outs = S.doc.paths.filter((p) => p.from === c.code).map((p) => p.to);
    if (ins.length && outs.length) out.push(`${ins.join(", ")} → ${c.code} → ${outs.join(", ")}`);
  }
  return out;
}

function renderModel() {
  const codes = constructs().map((c) => [c.code, nameOf(c.code)]);
  const from = $("path-from").value, to = $("path-to").value;
  $("path-from").replaceChildren(...codes.map(([v, l]) => option(v, l, from)));
  $("path-to").replaceChildren(...codes.map(([v, l]) => option(v, l, to)));
  if (from) $("path-from").value = from;
  if (to) $("path-to").value = to;
  const paths = $("paths");
  paths.replaceChildren();
  if (S.doc.paths.length) {
    paths.append(h("thead", {}, h("tr", {}, ["model.path", "model.hypothesis", "model.sign", ""].map((k) => h("th", { text: k ? t(k) : "" })))));
    paths.append(h("tbody", {}, S.doc.paths.map((p) => h("tr", { testid: "path", "data-path": `${p.from}->${p.to}` },
      h("td", { class: "mono", text: `${p.from} → ${p.to}` }),
      ...hypothesisCells(p),
      h("td", {}, h("button", { type: "button", class: "small", text: "×", title: t("model.remove"),
        on: { click: () => {
          S.doc.paths = S.doc.paths.filter((x) => x !== p);
          S.doc.moderators = S.doc.moderators.filter((m) => !(m.x === p.from && m.y === p.to));
          changed();
        } } }))))));
  } else paths.append(h("tbody", {}, h("tr", {}, h("td", { class: "hint", text: t("model.no_paths") }))));
  const med = mediators();
  $("mediators").textContent = med.length ? med.join(";  ") : t("model.no_mediators");
  const busy = onPaths();
  const zs = constructs().filter((c) => !busy.has(c.code)).map((c) => [c.code, nameOf(c.code)])
    .concat((S.doc.demographics || []).map((d) => [d.code, d.code]));
  const z = $("mod-z").value, mp = $("mod-path").value;
  $("mod-z").replaceChildren(...zs.map(([v, l]) => option(v, l, z)));
  $("mod-path").replaceChildren(...S.doc.paths.map((p) => option(`${p.from}->${p.to}`, `${p.from} → ${p.to}`, mp)));
  if (z) $("mod-z").value = z;
  if (mp) $("mod-path").value = mp;
  const mods = $("moderators");
  mods.replaceChildren(h("tbody", {}, S.doc.moderators.map((m) => h("tr", { testid: "moderator" },
    h("td", { text: t("model.moderation", { z: m.z, x: m.x, y: m.y }) }),
    ...hypothesisCells(m),
    h("td", {}, h("button", { type: "button", class: "small", text: "×", title: t("model.remove"),
      on: { click: () => { S.doc.moderators = S.doc.moderators.filter((x) => x !== m); changed(); } } }))))));
  $("syntax").value = S.doc.syntax || "";
}

// ------------------------------------------------------------------ rendering: options
function optionField(name, control) {
  return h("label", { class: "field" }, h("span", { text: t(`options.${name}`) }), control,
    h("small", { class: "hint", text: t(`options.${name}_hint`) }));
}

function optSelect(name, labels) {
  const values = S.choices[name].map((v) => [v, labels ? t(`options.${name}_${v || "default"}`) : (v ? v.toUpperCase() : t("options.default"))]);
  return optionField(name, select(values, String(S.options[name] ?? ""), (v) => { S.options[name] = v; }, { testid: `opt-${name}` }));
}

function optInput(name, attrs) {
  return optionField(name, h("input", Object.assign({ value: S.options[name] ?? "", testid: `opt-${name}`,
    on: { change: (e) => { S.options[name] = e.target.value.trim(); } } }, attrs)));
}

function renderOptions() {
  const groups = [["", t("options.no_group")]].concat(((S.opened && S.opened.columns) || []).map((c) => [c.name, c.name]));
  $("options").replaceChildren(
    optSelect("method", true), optSelect("estimator"), optSelect("missing", true), optSelect("ordered", true),
    optInput("bootstrap", { type: "number", min: "0", step: "1", placeholder: t("options.bootstrap_default") }),
    optInput("seed", { type: "number", min: "0", step: "1", placeholder: t("options.seed_default") }),
    optionField("group", select(groups, S.options.group || "", (v) => { S.options.group = v; }, { testid: "opt-group" })),
    optSelect("lang", true));
  $("options-more").replaceChildren(
    optSelect("ci", true), optInput("missing_codes", { type: "text", placeholder: "-99, 99" }),
    optInput("chapter", { type: "number", min: "1", max: "99", step: "1" }), optSelect("efa_method", true),
    optionField("drop_careless", h("input", { type: "checkbox", checked: S.options.drop_careless, testid: "opt-drop_careless",
      on: { change: (e) => { S.options.drop_careless = e.target.checked; } } })));
}

// ------------------------------------------------------------------ rendering: run
const STEPS_CB = ["load", "sample", "items", "measurement", "scores", "groups", "structural", "moderation", "report"];

function renderRun() {
  const job = S.job;
  const box = $("progress");
  box.replaceChildren();
  $("run").disabled = !!(job && job.state === "running");
  $("cancel").hidden = !(job && job.state === "running");
  if (!job) { $("result").hidden = true; return; }
  const seen = job.steps;
  const plan = seen.includes("pls") ? ["load", "pls", "report"]
    : STEPS_CB.filter((s) => s !== "groups" || seen.includes("groups"));
  const current = job.state === "running" ? seen[seen.length - 1] : null;
  box.append(h("ol", { class: "steps" }, plan.map((s) => {
    const state = s === current ? "now" : seen.includes(s) || job.state === "done" ? "done" : "todo";
    return h("li", { class: state, "data-step": s }, t(`steps.${s}`),
      s === current && job.boot ? h("span", { class: "boot" },
        h("progress", { max: job.boot.total, value: job.boot.done }),
        ` ${t("run.bootstrap", { done: job.boot.done, total: job.boot.total })}`) : null);
  })));
  const state = h("p", { class: `state ${job.state}`, testid: "run-state" }, t(`run.${job.state}`, { seconds: job.seconds }));
  box.append(state);
  const done = job.state === "done";
  $("result").hidden = !done;
  $("download-report").hidden = !done;
  if (!done) return;
  $("result-note").textContent = t("run.finished", { seconds: job.seconds });
  const langs = Object.keys(job.reports);
  if (!langs.includes(S.reportLang)) S.reportLang = langs.includes(S.lang) ? S.lang : langs[0];
  $("report-tabs").replaceChildren(...langs.map((l) => h("button", { type: "button",
    class: l === S.reportLang ? "tab active" : "tab", testid: `report-${l}`, text: t(`run.report_${l}`),
    on: { click: () => { S.reportLang = l; renderRun(); } } })));
  const src = `/report/${job.number}/${job.reports[S.reportLang]}`;
  if ($("report").getAttribute("src") !== src) $("report").setAttribute("src", src);
  $("warnings-box").hidden = !job.warnings.length;
  $("warnings").replaceChildren(...job.warnings.map((w) => h("li", { text: w })));
}

function renderAll() {
  renderData();
  const has = !!S.doc;
  ["s-constructs", "s-model", "s-options", "s-run"].forEach((id) => { $(id).hidden = !has; });
  if (has) { renderConstructs(); renderModel(); renderOptions(); }
  renderRun();
}

// ------------------------------------------------------------------ preview
function schedulePreview() {
  if (!S.doc) return;
  clearTimeout(S.previewTimer);
  S.previewTimer = setTimeout(drawPreview, 400);
}

async function drawPreview() {
  const img = $("preview");
  if (!S.doc.paths.length) {
    img.hidden = true;
    $("preview-caption").textContent = t("model.preview_empty");
    return;
  }
  const response = await api("POST", "/api/preview", { document: S.doc, lang: S.lang }, undefined, "preview");
  if (!response) return;
  if (S.error && S.error.source === "preview") clearError();  // only the preview's own error
  if (response.status === 204) { img.hidden = true; return; }
  const blob = await response.blob();
  if (S.previewUrl) URL.revokeObjectURL(S.previewUrl);
  S.previewUrl = URL.createObjectURL(blob);
  img.src = S.previewUrl;
  img.alt = t("model.preview");
  img.hidden = false;
  $("preview-caption").textContent = t("model.preview");
}

// ------------------------------------------------------------------ actions
async function openData(file) {
  if (!file) return;
  clearError();
  if (file.size > S.maxMb * 1048576) {
    showError({ key: "too_large", params: { mb: S.maxMb }, text: `The file is larger than ${S.maxMb} MB.` });
    return;
  }
  $("data-busy").hidden = false;
  const result = await api("POST", "/api/data", undefined, { body: file, name: file.name });
  $("data-busy").hidden = true;
  $("data-file").value = "";
  if (!result) return;
  S.opened = result;
  S.doc = result.document;
  S.job = null;
  S.options = Object.assign({}, S.defaults);
  if (result.notes && result.notes.missing_codes) S.options.missing_codes = result.notes.missing_codes;
  if (result.note) showError({ key: null, text: result.note });
  changed();
}

async function loadModel(file) {
  if (!file) return;
  clearError();
  const text = await file.arrayBuffer();
  $("model-file").value = "";
  const result = await api("POST", "/api/model/import", undefined, { body: text, name: file.name });
  if (!result) return;
  S.doc = result.document;
  changed();
}

async function downloadModel() {
  clearError();
  const result = await api("POST", "/api/model/export", { document: S.doc });
  if (!result) return;
  const url = URL.createObjectURL(new Blob([result.toml], { type: "application/toml" }));
  const a = h("a", { href: url, download: result.filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function run() {
  clearError();
  const result = await api("POST", "/api/run", { document: S.doc, options: S.options });
  if (!result) return;
  S.job = result.job;
  renderRun();
  poll();
}

async function poll() {
  clearTimeout(S.pollTimer);
  const result = await api("GET", "/api/job");
  if (!result) return;
  S.job = result.job;
  renderRun();
  if (S.job && S.job.state === "running") S.pollTimer = setTimeout(poll, 600);
  else if (S.job && S.job.state === "error") showError({ key: null, text: S.job.error });
}

async function cancel() {
  await api("POST", "/api/cancel", {});
  poll();
}

function bind() {
  $("lang").addEventListener("change", (e) => { S.lang = e.target.value; applyLang(); });
  $("error-close").addEventListener("click", clearError);
  $("data-file").addEventListener("change", (e) => openData(e.target.files[0]));
  $("model-file").addEventListener("change", (e) => loadModel(e.target.files[0]));
  $("download-model").addEventListener("click", downloadModel);
  $("run").addEventListener("click", run);
  $("cancel").addEventListener("click", cancel);
  $("add-construct").addEventListener("click", () => {
    const taken = allCodes();
    let n = 1;
    while (taken.has(`F${n}`)) n += 1;
    S.doc.constructs.push({ code: `F${n}`, name: { en: `F${n}`, zh: `F${n}` }, items: [] });
    changed(false);
  });
  ["scale-min", "scale-max"].forEach((id) => $(id).addEventListener("change", (e) => {
    const v = e.target.value.trim();
    S.doc.scale[id === "scale-min" ? "min" : "max"] = v === "" ? null : Number(v);
  }));
  $("path-add").addEventListener("click", () => {
    const from = $("path-from").value, to = $("path-to").value;
    if (!from || !to) return;
    if (from === to) { showError({ key: "path_self", params: { x: from }, text: "A path from a construct to itself is not possible." }); return; }
    if (S.doc.paths.some((p) => p.from === from && p.to === to)) {
      showError({ key: "path_twice", params: { x: from, y: to }, text: `The path ${from} -> ${to} is there twice.` });
      return;
    }
    clearError();
    S.doc.paths.push({ from, to, id: nextId(), sign: "+" });
    changed();
  });
  $("mod-add").addEventListener("click", () => {
    const z = $("mod-z").value, path = $("mod-path").value;
    if (!z || !path) return;
    const [x, y] = path.split("->");
    if (S.doc.moderators.some((m) => m.z === z)) {
      showError({ key: "moderator_twice", params: { z }, text: `${z} moderates two paths.` });
      return;
    }
    clearError();
    S.doc.moderators.push({ z, x, y, id: nextId(), sign: "two-sided" });
    changed();
  });
  $("syntax").addEventListener("change", (e) => { S.doc.syntax = e.target.value; });
}

async function start() {
  bind();
  const [cat, state] = await Promise.all([api("GET", "/api/catalogue"), api("GET", "/api/state")]);
  if (!cat || !state) return;
  S.cat = cat;
  S.lang = state.lang;
  S.choices = state.choices;
  S.defaults = state.defaults;
  S.options = Object.assign({}, state.defaults);
  S.maxMb = state.max_upload_mb;
  S.opened = state.opened;
  S.doc = state.document;
  S.job = state.job;
  applyLang();
  if (S.job && S.job.state === "running") poll();
  document.body.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", start);
