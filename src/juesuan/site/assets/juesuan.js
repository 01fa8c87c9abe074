/* juesuan site: charts from data (window.JUESUAN_CHARTS), sortable and filterable tables.
   Chart options are plain JSON written by the site generator; every formatter lives here. */
(function () {
  "use strict";
  var live = [];

  function unitFormat(unit) {
    // Values are in the report's unit (万元 or 元); large numbers get 亿元 / 万元.
    return function (v) {
      if (v === null || v === undefined || v === "-" || isNaN(v)) return "—";
      var n = Number(v), a = Math.abs(n);
      if (unit === "元" && a >= 1e4) return (n / 1e4).toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 万元";
      if (unit === "万元" && a >= 1e4) return (n / 1e4).toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 亿元";
      if (unit === "%") return n.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + "%";
      return n.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + (unit ? " " + unit : "");
    };
  }

  function axisFormat(unit) {
    return function (v) {
      var a = Math.abs(v);
      if (unit === "万元" && a >= 1e4) return (v / 1e4).toLocaleString("zh-CN", { maximumFractionDigits: 1 }) + "亿";
      if (unit === "元" && a >= 1e4) return (v / 1e4).toLocaleString("zh-CN", { maximumFractionDigits: 1 }) + "万";
      return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
    };
  }

  function dark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  /* Defaults of every chart: the pages hold only names and numbers (charts.py). */
  var AXIS = { tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
               grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true } };
  var SERIES = {
    pie: { radius: ["35%", "65%"], center: ["50%", "45%"], label: { show: true } },
    treemap: { leafDepth: 1, roam: false, breadcrumb: { show: true }, label: { show: true },
               upperLabel: { show: true, height: 22 },
               levels: [{ itemStyle: { gapWidth: 2 } }, { itemStyle: { gapWidth: 1 } }, {}] }
  };

  function withDefaults(option) {
    var opt = JSON.parse(JSON.stringify(option));
    var series = opt.series || [];
    var axes = series.some(function (s) { return s.type === "bar" || s.type === "line"; });
    var bars = series.some(function (s) { return s.type === "bar"; });
    Object.keys(axes ? AXIS : {}).forEach(function (k) { if (!(k in opt)) opt[k] = JSON.parse(JSON.stringify(AXIS[k])); });
    if (!axes && !opt.tooltip) opt.tooltip = { trigger: "item" };
    if (!axes && series.some(function (s) { return s.type === "pie"; }) && !opt.legend) opt.legend = { type: "scroll", bottom: 0 };
    if (bars) {
      opt.tooltip.axisPointer = opt.tooltip.axisPointer || { type: "shadow" };
      var horizontal = opt.yAxis && opt.yAxis.type === "category";
      var cat = horizontal ? opt.yAxis : opt.xAxis;
      if (cat && cat.type === "category") {
        cat.axisLabel = Object.assign({ interval: 0, hideOverlap: true },
                                      horizontal ? {} : { rotate: (cat.data || []).length > 4 ? 30 : 0 }, cat.axisLabel || {});
      }
    }
    series.forEach(function (s, i) { series[i] = Object.assign({}, SERIES[s.type] || {}, s); });
    return opt;
  }

  /* A report's chart from the table beside it: rows with data-v are the data (charts.chart); a row is a
     table row or a key-figure card (its first child is the name). */
  function tableOption(el) {
    var block = el.closest(".js-chart-block");
    var rows = block ? Array.prototype.slice.call(block.querySelectorAll("[data-v]")) : [];
    var name = el.getAttribute("aria-label") || "";
    function cell(row, i) { var c = (row.cells || row.children)[i]; return c ? c.textContent.trim() : ""; }
    function val(tr, key) { var s = tr.getAttribute(key); return s === null || s === "" ? null : parseFloat(s); }
    var kind = el.dataset.kind;
    if (kind === "pie") {
      return { series: [{ name: name, type: "pie", data: rows.map(function (tr) { return { name: cell(tr, 0), value: val(tr, "data-v") }; }) }] };
    }
    if (kind === "tree") {
      var tree = [], classes = {};
      rows.forEach(function (tr) {
        var c = cell(tr, 0) || "（类未注明）", k = cell(tr, 1) || "（款未注明）", x = cell(tr, 2) || k;
        var cls = classes[c];
        if (!cls) { cls = classes[c] = { node: { name: c, children: [] }, kuans: {} }; tree.push(cls.node); }
        var kuan = cls.kuans[k];
        if (!kuan) { kuan = cls.kuans[k] = { name: k, children: [] }; cls.node.children.push(kuan); }
        kuan.children.push({ name: x, value: val(tr, "data-v") });
      });
      return { series: [{ name: name, type: "treemap", data: tree }] };
    }
    var cats = rows.map(function (tr) { return cell(tr, 0); });
    var cat = { type: "category", data: cats }, value = { type: "value" };
    if (kind === "hbar") {
      return { xAxis: value, yAxis: cat, series: [{ name: name, type: "bar", data: rows.map(function (tr) { return val(tr, "data-v"); }) }] };
    }
    return { xAxis: cat, yAxis: value, series: [
      { name: "本年", type: "bar", data: rows.map(function (tr) { return val(tr, "data-v"); }) },
      { name: "上年（由所述增减推算）", type: "bar", data: rows.map(function (tr) { return val(tr, "data-p"); }) }] };
  }

  function prepare(option, unit) {
    var opt = withDefaults(option);
    var vf = unitFormat(unit), af = axisFormat(unit);
    opt.backgroundColor = "transparent";
    opt.tooltip = Object.assign({ confine: true }, opt.tooltip || {}, { valueFormatter: vf });
    ["xAxis", "yAxis"].forEach(function (k) {
      var axes = opt[k] ? (Array.isArray(opt[k]) ? opt[k] : [opt[k]]) : [];
      axes.forEach(function (ax) {
        if (ax.type === "value") ax.axisLabel = Object.assign({}, ax.axisLabel || {}, { formatter: af });
        if (ax.type === "category") ax.axisLabel = Object.assign({ width: 110, overflow: "truncate" }, ax.axisLabel || {});
      });
    });
    (opt.series || []).forEach(function (s) {
      if (s.type === "pie") s.label = Object.assign({}, s.label || {}, { formatter: "{b}\n{d}%" });
      if (s.type === "treemap") s.label = Object.assign({}, s.label || {}, { formatter: "{b}" });
    });
    return opt;
  }

  function filtered(el, opt) {
    // Compare charts: keep only the categories whose row passes the page's filters.
    var block = el.closest(".js-compare");
    if (!block || !block.dataset.meta) return opt;
    var keep = passing(block.dataset.filterScope, JSON.parse(block.dataset.meta));
    var cat = opt.xAxis && opt.xAxis.type === "category" ? opt.xAxis : opt.yAxis;
    cat.data = cat.data.filter(function (_, i) { return keep[i]; });
    opt.series.forEach(function (s) { s.data = s.data.filter(function (_, i) { return keep[i]; }); });
    return opt;
  }

  function disposeAll() {
    live.forEach(function (c) { if (!c.isDisposed()) c.dispose(); });
    live = [];
  }

  function initCharts() {
    if (typeof echarts === "undefined") return;
    disposeAll();
    var store = window.JUESUAN_CHARTS || {};
    document.querySelectorAll(".js-chart").forEach(function (el) {
      var option = el.dataset.kind ? tableOption(el) : store[el.id];
      if (!option) return;
      var old = echarts.getInstanceByDom(el);
      if (old) old.dispose();
      var chart = echarts.init(el, dark() ? "dark" : null, { renderer: "canvas" });
      el.dataset.theme = dark() ? "dark" : "light";
      chart.setOption(filtered(el, prepare(option, el.dataset.unit || "")));
      live.push(chart);
    });
  }

  /* Filters: <select data-filter=region|year> inside .js-filters[data-filter-target=X]
     hide rows [data-region][data-year] inside [data-filter-scope=X]. */
  function filterValues(target) {
    var box = document.querySelector('.js-filters[data-filter-target="' + target + '"]');
    var v = { region: "", year: "" };
    if (box) box.querySelectorAll("select[data-filter]").forEach(function (s) { v[s.dataset.filter] = s.value; });
    return v;
  }

  function passing(target, meta) {
    var v = filterValues(target);
    return meta.map(function (m) {
      return (!v.region || m.region === v.region) && (!v.year || String(m.year) === v.year);
    });
  }

  function applyFilters(target) {
    var v = filterValues(target), shown = 0, total = 0;
    document.querySelectorAll('[data-filter-scope="' + target + '"] tr[data-region]').forEach(function (tr) {
      var ok = (!v.region || tr.dataset.region === v.region) && (!v.year || tr.dataset.year === v.year);
      tr.hidden = !ok;
    });
    var first = document.querySelector('[data-filter-scope="' + target + '"] tbody');
    if (first) first.querySelectorAll("tr[data-region]").forEach(function (tr) { total++; if (!tr.hidden) shown++; });
    var count = document.querySelector('.js-filters[data-filter-target="' + target + '"] .js-filter-count');
    if (count) count.textContent = "显示 " + shown + " / " + total;
  }

  function initFilters() {
    document.querySelectorAll(".js-filters").forEach(function (box) {
      var target = box.dataset.filterTarget;
      box.querySelectorAll("select").forEach(function (s) {
        s.addEventListener("change", function () { applyFilters(target); initCharts(); });
      });
      applyFilters(target);
    });
  }

  /* Sortable tables: click a header; numbers sort by data-sort (or text as number). */
  function cellKey(td) {
    var s = td.querySelector("[data-sort]");
    var raw = s ? s.getAttribute("data-sort") : td.textContent.replace(/[,，\s]/g, "");
    var n = parseFloat(raw);
    return raw === "" || raw === "—" ? null : isNaN(n) ? raw : n;
  }

  function initSort() {
    document.querySelectorAll("table.js-sortable").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, col) {
        th.tabIndex = 0;
        th.setAttribute("role", "button");
        th.title = "点击排序";
        var sort = function () {
          var asc = th.getAttribute("aria-sort") !== "ascending";
          table.querySelectorAll("thead th").forEach(function (o) { o.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", asc ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = cellKey(a.cells[col]), y = cellKey(b.cells[col]);
            if (x === null) return 1;
            if (y === null) return -1;
            var r = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
            return asc ? r : -r;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        };
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
      });
    });
  }

  function initSources() {
    // Each "第N行" reference shows its line on hover: the sentence is printed once, where the
    // page anchors it (in 原文出处, or the duty, note or glossary entry that quotes it).
    document.querySelectorAll("a[href^='#L']").forEach(function (a) {
      if (a.title) return;
      var el = document.getElementById(a.getAttribute("href").slice(1));
      if (!el) return;
      var text = el.textContent;
      if (el.tagName === "DT" && el.nextElementSibling) text += " " + el.nextElementSibling.textContent;
      a.title = text.replace(/(第\d+页 )?第\d+行/g, "").replace(/\s+/g, " ").trim();
    });
  }

  function onPage() {
    initSources();
    initSort();
    initFilters();
    initCharts();
  }

  if (typeof document$ !== "undefined") document$.subscribe(onPage);
  else document.addEventListener("DOMContentLoaded", onPage);

  // Palette toggle: Material sets data-md-color-scheme on <body>; re-create charts themed.
  new MutationObserver(function () { initCharts(); })
    .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { live.forEach(function (c) { if (!c.isDisposed()) c.resize(); }); }, 100);
  });
  window.juesuanCharts = function () { return live; };
})();
