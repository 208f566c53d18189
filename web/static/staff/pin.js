// Register/edit map pin: click to place, drag to adjust; the form shows coordinates in the clerk's system.
(function () {
  "use strict";
  var el = document.getElementById("pin-map");
  if (!el || !window.L) { return; }
  var lon = document.getElementById("lon"), lat = document.getElementById("lat"), crs = document.getElementById("crs");
  var center = (el.dataset.center || "103.8343,36.0611").split(",").map(Number);
  var map = L.map(el).setView([center[1], center[0]], 13);
  if (el.dataset.bounds) {  // a new station: open on the clerk's region
    var b = el.dataset.bounds.split(",").map(Number);
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
  }
  // The region code follows the pin (the county whose boundary holds it) unless the clerk typed one of their own.
  var adcode = document.getElementById("adcode"), fromPin = document.getElementById("adcode-from-pin");
  var typed = !!adcode.value && adcode.value.length === 6;
  adcode.addEventListener("input", function () { typed = true; fromPin.hidden = true; });
  function fillAdcode(p) {
    if (!p.adcode) { return; }
    if (!typed) { adcode.value = p.adcode; }
    fromPin.textContent = (adcode.value === p.adcode ? "区划代码由图钉确定：" : "图钉位于：") + p.division + "（" + p.adcode + "）";
    fromPin.hidden = false;
  }
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
  }
  var marker = null;

  function convert(x, y, from, to) {
    var url = "/staff/api/convert?lon=" + x + "&lat=" + y + "&from=" + from + "&to=" + to;
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : r.json().then(function (e) { throw new Error(e.detail); });
    });
  }
  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); return; }
    marker = L.marker(latlng, { draggable: true, title: "站点位置" }).addTo(map);
    marker.on("dragend", function () { showFromPin(marker.getLatLng()); });
  }
  function showFromPin(latlng) {
    convert(latlng.lng, latlng.lat, "wgs84", crs.value).then(function (p) {
      lon.value = p.lon.toFixed(6); lat.value = p.lat.toFixed(6);
      fillAdcode(p);
    });
  }
  function pinFromFields() {
    var x = parseFloat(lon.value), y = parseFloat(lat.value);
    if (isNaN(x) || isNaN(y)) { return; }
    convert(x, y, crs.value, "wgs84").then(function (p) {
      place([p.lat, p.lon]); map.setView([p.lat, p.lon]);
    }).catch(function () { /* the server says what is wrong on save */ });
  }
  map.on("click", function (e) { place(e.latlng); showFromPin(e.latlng); });
  lon.addEventListener("change", pinFromFields);
  lat.addEventListener("change", pinFromFields);
  var shownCrs = crs.value;
  crs.addEventListener("change", function () {
    var x = parseFloat(lon.value), y = parseFloat(lat.value);
    if (isNaN(x) || isNaN(y)) { shownCrs = crs.value; return; }
    convert(x, y, shownCrs, crs.value).then(function (p) {
      lon.value = p.lon.toFixed(6); lat.value = p.lat.toFixed(6); shownCrs = crs.value;
    });
  });
  var kind = document.getElementById("kind");
  function filterAmenities() {
    document.querySelectorAll("[data-kinds]").forEach(function (box) {
      var fits = box.dataset.kinds.split(" ").indexOf(kind.value) >= 0;
      box.hidden = !fits;
      if (!fits) { box.querySelector("input").checked = false; }
    });
  }
  kind.addEventListener("change", filterAmenities);
  filterAmenities();
  pinFromFields();
})();
