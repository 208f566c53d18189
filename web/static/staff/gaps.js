// Gap map: unmet demand (by hour), stations' 1 km circles, suggested sites from /api/v1/coverage/*.
(function () {
  "use strict";
  var el = document.getElementById("gap-map");
  if (!el || !window.L) { return; }
  var reach = Number(el.dataset.reach || 1000);
  var map = L.map(el).setView([36.06, 103.83], 12);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
  }
  var layers = L.layerGroup().addTo(map);
  var form = document.getElementById("gap-controls");

  function query() {
    var params = new URLSearchParams();
    params.set("region", document.getElementById("gap-region").value.trim());
    var hour = document.getElementById("gap-hour").value;
    if (hour !== "") { params.set("hour", hour); }
    params.set("k", document.getElementById("gap-k").value || "5");
    return params.toString();
  }
  function get(path) {
    return fetch(path, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : r.json().then(function (e) { throw new Error(e.detail); });
    });
  }
  function cell(text) { var td = document.createElement("td"); td.textContent = text; return td; }

  function draw(gaps, stations, suggested) {
    layers.clearLayers();
    var bounds = [];
    var top = Math.max.apply(null, gaps.features.map(function (f) { return f.properties.unmet; }).concat([1]));
    stations.features.forEach(function (f) {
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      L.circle(ll, { radius: reach, color: "#1a7f37", weight: 1, fillOpacity: 0.08, className: "station-reach" })
        .bindTooltip(f.properties.name).addTo(layers);
      bounds.push(ll);
    });
    gaps.features.forEach(function (f) {
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      var share = f.properties.unmet / top;
      L.circleMarker(ll, { radius: 5 + 15 * Math.sqrt(share), stroke: false, fillColor: "#C8102E",
                           fillOpacity: 0.25 + 0.6 * share, className: "gap-cell" })
        .bindTooltip("未满足需求 " + f.properties.unmet + (f.properties.mean_open_m === null ? "；查询结果中没有开放站点"
                     : "；最近的开放站点平均 " + f.properties.mean_open_m + " 米")).addTo(layers);
      bounds.push(ll);
    });
    var rows = document.getElementById("gap-suggestions");
    rows.textContent = "";
    suggested.data.forEach(function (s) {
      var ll = [s.lat, s.lon];
      L.circle(ll, { radius: reach, color: "#0b5cad", dashArray: "6 4", weight: 2, fill: false }).addTo(layers);
      L.marker(ll, { title: "建议 " + s.rank, icon: L.divIcon({ className: "suggested-site", html: String(s.rank),
                                                              iconSize: [26, 26] }) }).addTo(layers);
      var tr = document.createElement("tr");
      [s.rank, s.lon.toFixed(5) + ", " + s.lat.toFixed(5), s.adcode || "—", s.covers,
       (100 * s.share_gain).toFixed(1) + "%"].forEach(function (t) { tr.appendChild(cell(String(t))); });
      rows.appendChild(tr);
      bounds.push(ll);
    });
    document.getElementById("gap-share").textContent = "当前开放站点覆盖率：" + (100 * suggested.share_open).toFixed(1) +
      "%；建议 " + suggested.count + " 处";
    if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 }); }
  }

  function load() {
    var q = query(), region = "region=" + encodeURIComponent(document.getElementById("gap-region").value.trim());
    document.getElementById("export-csv").href = "/api/v1/coverage/suggestions.csv?" + q;
    document.getElementById("export-geojson").href = "/api/v1/coverage/suggestions.geojson?" + q;
    Promise.all([get("/api/v1/coverage/gaps?" + q.replace(/&?k=\d+/, "")), get("/api/v1/coverage/stations?" + region),
                 get("/api/v1/coverage/suggestions?" + q)])
      .then(function (r) { draw(r[0], r[1], r[2]); el.dataset.ready = "1"; })
      .catch(function (e) { document.getElementById("gap-share").textContent = "无法加载：" + e.message; });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  load();
}());
