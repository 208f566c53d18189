/* The worker map: locate, nearest list, filters, offline fallback. Station data goes in with textContent only. */
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('config').textContent);
  var T = cfg.strings;
  var map = window.map_stations;
  var LAST_KEY = 'stations:last-nearest';
  var ICONS = ['drinking_water', 'microwave', 'phone_charging', 'ebike_charging', 'toilet', 'air_conditioning', 'heating',
    'wifi', 'first_aid', 'seating'];
  var S = window.Stations = {cfg: cfg, T: T, map: map, me: null, origin: null, features: [], filters: {kind: '', amenities: [], open: false}};
  var markers = L.layerGroup().addTo(map);
  L.control.scale({imperial: false}).addTo(map);
  var meMarker = null;

  function $(id) { return document.getElementById(id); }
  function fmt(s, vars) { return s.replace(/\{(\w+)\}/g, function (_, k) { return vars[k]; }); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }
  function icon(code) {
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    var use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
    svg.setAttribute('class', 'ic');
    use.setAttribute('href', '/static/icons.svg#' + code);
    svg.appendChild(use);
    return svg;
  }
  S.el = el; S.fmt = fmt; S.icon = icon; S.ICONS = ICONS;

  /* WGS-84 -> GCJ-02, used only when the basemap is Amap (cfg.crs === 'gcj02') to put "me" on its shifted tiles. */
  function gcj02(lon, lat) {
    var a = 6378245.0, ee = 0.00669342162296594323, x = lon - 105, y = lat - 35;
    var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)) +
      (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3 +
      (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3 +
      (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)) +
      (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3 +
      (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3 +
      (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    var rad = lat / 180 * Math.PI, magic = 1 - ee * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    return [lon + dLon * 180 / (a / sq * Math.cos(rad) * Math.PI), lat + dLat * 180 / ((a * (1 - ee)) / (magic * sq) * Math.PI)];
  }
  function display(lon, lat) { return cfg.crs === 'gcj02' ? gcj02(lon, lat) : [lon, lat]; }

  function setStatus(text) { $('status-text').textContent = text; }
  function banner(text) { $('banner').textContent = text || ''; $('banner').hidden = !text; }
  function hhmm(iso) { return iso ? iso.slice(11, 16) : ''; }
  S.hhmm = hhmm;
  function distance(m) {
    return m < 1000 ? Math.round(m) + ' ' + T.m : (m / 1000).toFixed(m < 100000 ? 1 : 0) + ' ' + T.km;
  }
  /* [words, open (true/false/null), note]: null when a holiday not yet announced decides it (the year's holiday
     schedule is not loaded); the note says the answer is estimated from ordinary weekdays and weekends. */
  S.openLine = function (p) {
    if (p.status !== 'active') return [T['status_' + p.status] || T.closed_now, false, ''];
    if (p.hours_confidence === 'unknown' && !p.open) return [T.hours_unknown, null, ''];  // nobody gave the hours
    var note = p.hours_confidence === 'provisional' ? T.provisional : '';
    var usual = p.open === null ? p.open_on_ordinary_day : p.open;  // next_change is an ordinary day's
    var change = p.next_change ? fmt(usual ? T.closes_at : T.opens_at, {t: hhmm(p.next_change)}) : '';
    var label = p.open === null ? (usual ? T.usually_open : T.usually_closed)
      : p.open ? (p.staffed_now === false ? T.self_service : T.open_now) : T.closed_now;
    return [label + (change ? ' · ' + change : ''), p.open, note];
  };
  // The CSS class and marker colour of an open state: open, closed, or unconfirmed (neither green nor red).
  S.stateClass = function (open) { return open ? 'open' : open === null ? 'unsure' : 'shut'; };

  /* Issue 25: a marker says its state by shape and symbol as well as colour (open: green circle with a tick;
     closed: red square with a cross; unconfirmed: grey diamond with "?"), inside a 48 px touch target; markers
     closer than that on screen become one numbered cluster that zooms in when tapped. */
  var SYMBOL = {open: '\u2713', shut: '\u2715', unsure: '?'}, HIT = 48;
  function stateIcon(state, label) {
    return L.divIcon({className: 'mk mk-' + state, iconSize: [HIT, HIT], iconAnchor: [HIT / 2, HIT / 2],
      html: '<span class="mk-shape" aria-hidden="true">' + SYMBOL[state] + '</span><span class="mk-label">' + label + '</span>'});
  }
  function cluster(points) {
    var groups = [];
    points.forEach(function (pt) {
      var at = map.latLngToLayerPoint(pt.latlng);
      var near = groups.filter(function (g) { return g.at.distanceTo(at) < HIT; })[0];
      if (near) near.members.push(pt); else groups.push({at: at, members: [pt]});
    });
    return groups;
  }
  var placed = [];
  function drawMarkers() {
    markers.clearLayers();
    cluster(placed).forEach(function (g) {
      var first = g.members[0], m;
      if (g.members.length === 1) {
        m = L.marker(first.latlng, {icon: stateIcon(first.state, T['mk_' + first.state]), title: first.title, keyboard: true});
        m.on('click', function () { S.openDetails(first.feature); });
      } else {
        m = L.marker(first.latlng, {title: S.fmt(T.mk_cluster, {n: g.members.length}), icon: L.divIcon({
          className: 'mk mk-cluster', iconSize: [HIT, HIT], iconAnchor: [HIT / 2, HIT / 2],
          html: '<span class="mk-shape">' + g.members.length + '</span>'})});
        m.on('click', function () {
          map.fitBounds(g.members.map(function (x) { return x.latlng; }), {padding: [48, 48], maxZoom: 18});
        });
      }
      markers.addLayer(m);
    });
  }
  map.on('zoomend', drawMarkers);

  function query() {
    var o = S.origin, p = new URLSearchParams({lon: o.lon.toFixed(6), lat: o.lat.toFixed(6), crs: o.crs, limit: '20',
      group: 'site', lang: cfg.lang, out_crs: cfg.crs});
    // out_crs=gcj02 when the basemap is Amap: the markers then land on Amap's GCJ-02 tiles (see services/map_page.py).
    if (S.filters.kind) p.append('kind', S.filters.kind);
    S.filters.amenities.forEach(function (a) { p.append('amenity', a); });
    if (S.filters.open) p.set('open_now', 'true');
    if (S.filters.fitsAlert) p.set('fits_alert', 'true');  // issue 24: alerts.js's chip
    return p;
  }

  S.search = function () {
    showActiveFilters();
    if (!S.origin) return;
    setStatus(T.loading);
    var params = query();
    fetch('/api/v1/stations/nearest?' + params).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (fc) {
      try { localStorage.setItem(LAST_KEY, JSON.stringify({time: new Date().toISOString(), fc: fc, origin: S.origin})); } catch (e) { /* full */ }
      banner('');
      render(fc);
    }, function (err) {
      if (err instanceof TypeError) return showSaved();
      // No server text reaches a rider (it may be English); the old list goes, so no filter seems applied to it.
      placed = [];
      markers.clearLayers();
      $('results').replaceChildren();
      setStatus(fmt(T.error, {e: err.message}));
    });
  };

  function showSaved() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(LAST_KEY) || 'null'); } catch (e) { saved = null; }
    if (!saved) { banner(T.offline_none); setStatus(T.offline_none); return false; }
    var t = new Date(saved.time), two = function (n) { return (n < 10 ? '0' : '') + n; };
    banner(fmt(T.offline, {t: two(t.getHours()) + ':' + two(t.getMinutes())}));
    if (!S.origin) S.origin = saved.origin;
    render({features: saved.fc.features.filter(matches)});  // offline, the chips filter the saved list
    return true;
  }

  /* Whether a saved feature passes the chips (what the API's kind, amenity and open_now filters would keep). */
  function matches(f) {
    var p = f.properties, F = S.filters;
    var kinds = (p.functions || [p]).map(function (x) { return x.kind; });
    var codes = p.amenities.map(function (a) { return a.code; }).concat([].concat.apply([], (p.functions || []).map(
      function (x) { return (x.amenities || []).map(function (a) { return a.code; }); })));
    return (!F.kind || kinds.indexOf(F.kind) >= 0) && (!F.open || S.openLine(p)[1] === true) &&
      F.amenities.every(function (a) { return codes.indexOf(a) >= 0; }) &&
      (!F.fitsAlert || Boolean(p.alert && p.alert.fits));  // issue 24's chip, offline too
  }

  /* Issue 25: the filters in force, in words, with one tap to clear them all. */
  function chipLabel(chip) { return chip.textContent.trim(); }
  function showActiveFilters() {
    var on = Array.prototype.filter.call(document.querySelectorAll('.chips [aria-pressed="true"]'),
      function (c) { return c.dataset.kind !== ''; }).map(chipLabel);
    $('active-filters').hidden = !on.length;
    $('active-text').textContent = on.length ? fmt(T.filters_on, {f: on.join(T.list_sep)}) : '';
  }
  function clearFilters() {
    S.filters = {kind: '', amenities: [], open: false};
    document.querySelectorAll('.chips button').forEach(function (c) { c.setAttribute('aria-pressed', String(c.dataset.kind === '')); });
    showActiveFilters();
    S.search();
  }
  /* Chip rows wider than the phone fade at the edge that has more, so they read as scrollable. */
  function scrollHints(row) {
    var more = row.scrollWidth - row.clientWidth;
    row.classList.toggle('more-right', row.scrollLeft < more - 2);
    row.classList.toggle('more-left', row.scrollLeft > 2);
  }

  function render(fc) {
    S.features = fc.features;
    placed = [];
    var list = $('results');
    list.replaceChildren();
    var me = S.origin && S.origin.me;
    setStatus(me ? fmt(T.near_me, {n: fc.features.length}) : S.reason || fmt(T.near_centre, {n: fc.features.length}));
    if (!fc.features.length) list.appendChild(el('li', 'empty', T.none_found));
    var bounds = [];
    fc.features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates, line = S.openLine(p);
      placed.push({latlng: L.latLng(c[1], c[0]), state: S.stateClass(line[1]), title: p.name + ' · ' + line[0], feature: f});
      if (bounds.length < 5) bounds.push([c[1], c[0]]);
      var li = el('li'), b = el('button', 'item');
      b.type = 'button';
      b.dataset.id = f.id;
      b.appendChild(el('span', 'name', p.name));
      var walk = p.walking_minutes <= 120 ? ' · ' + T.walk + ' ' + p.walking_minutes + ' ' + T.minutes : '';
      b.appendChild(el('span', 'meta', distance(p.distance_m) + walk + ' · ' +
        (p.functions || [p]).map(function (x) { return x.kind_label; }).join(' / ')));
      b.appendChild(el('span', 'when ' + S.stateClass(line[1]), line[0]));
      if (line[2]) b.appendChild(el('span', 'note', line[2]));
      var confirmed = S.confirmedLine && S.confirmedLine(p.confirmed_open_at);  // issue 22: 2 天前有人确认开放
      if (confirmed) b.appendChild(el('span', 'note confirmed', confirmed));
      var icons = el('span', 'icons');
      p.amenities.forEach(function (a) {
        if (ICONS.indexOf(a.code) < 0) return;
        var i = icon(a.code);
        i.setAttribute('role', 'img'); i.setAttribute('aria-label', a.label);
        icons.appendChild(i);
      });
      b.appendChild(icons);
      b.addEventListener('click', function () { S.openDetails(f); });
      li.appendChild(b);
      list.appendChild(li);
    });
    if (S.origin && S.origin.display) bounds.push(S.origin.display);
    if (bounds.length > 1) map.fitBounds(bounds, {padding: [24, 24], maxZoom: 16, animate: false});
    drawMarkers();
    if (S.onRender) S.onRender(fc);  // issue 24: alerts.js shows the alert over the place
  }

  function located(pos) {
    var lon = pos.coords.longitude, lat = pos.coords.latitude, d = display(lon, lat);
    S.me = {lon: lon, lat: lat};
    S.reason = null;
    S.origin = {lon: lon, lat: lat, crs: 'wgs84', me: true, display: [d[1], d[0]]};
    if (meMarker) meMarker.remove();
    meMarker = L.circleMarker([d[1], d[0]], {radius: 8, weight: 4, color: '#fff', fillColor: '#0b3d91', fillOpacity: 1}).addTo(map);
    $('city').hidden = true;
    rememberPlace({display: [Math.round(d[1] * 1e3) / 1e3, Math.round(d[0] * 1e3) / 1e3], zoom: 15});  // ~100 m
    map.setView([d[1], d[0]], 15, {animate: false});
    S.search();
  }

  /* Issue 25: where the rider was last (their position, or the city they picked), kept on the phone only, so that
     with location denied the first list is theirs rather than Beijing's. */
  var PLACE_KEY = 'stations:last-place';
  function rememberPlace(place) { try { localStorage.setItem(PLACE_KEY, JSON.stringify(place)); } catch (e) { /* full */ } }
  function lastPlace() { try { return JSON.parse(localStorage.getItem(PLACE_KEY) || 'null'); } catch (e) { return null; } }

  function fallback(reason) {
    S.reason = reason;
    $('city').hidden = false;
    var place = lastPlace();
    if (!S.origin && place) {
      if (place.city != null) $('city').value = String(place.city);
      map.setView([place.display[0], place.display[1]], place.zoom || 13, {animate: false});
    }
    if (!S.origin) S.searchCentre();
    setStatus(reason);
  }

  S.locate = function () {
    setStatus(T.locating);
    // Browsers locate only on https pages (and on this machine's own address): say so rather than "denied".
    if (window.isSecureContext === false) return fallback(T.geo_insecure);
    if (!navigator.geolocation) return fallback(T.geo_unsupported);
    navigator.geolocation.getCurrentPosition(located, function (err) {
      fallback(err.code === 1 ? T.geo_denied : err.code === 3 ? T.geo_timeout : T.geo_unavailable);
    }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
  };

  /* The map centre is in the basemap's own system (GCJ-02 on Amap), so it is sent with that crs. */
  S.searchCentre = function () {
    var c = map.getCenter();
    S.origin = {lon: c.lng, lat: c.lat, crs: cfg.crs, me: false, display: [c.lat, c.lng]};
    S.search();
  };

  cfg.cities.forEach(function (city, i) { var o = el('option', null, city.name); o.value = String(i); $('city').appendChild(o); });
  $('city').addEventListener('change', function () {
    var city = cfg.cities[Number(this.value)];
    if (!city) return;
    rememberPlace({city: Number(this.value), display: [city.display[1], city.display[0]], zoom: 13});
    map.setView([city.display[1], city.display[0]], 13);
    S.searchCentre();
  });
  $('locate').addEventListener('click', S.locate);
  $('search-here').addEventListener('click', S.searchCentre);
  Array.prototype.forEach.call(document.querySelectorAll('#kinds [data-kind]'), function (chip) {
    chip.addEventListener('click', function () {
      document.querySelectorAll('#kinds [data-kind]').forEach(function (c) { c.setAttribute('aria-pressed', String(c === chip)); });
      S.filters.kind = chip.dataset.kind;
      S.search();
    });
  });
  $('open-only').addEventListener('click', function () {
    S.filters.open = !S.filters.open;
    this.setAttribute('aria-pressed', String(S.filters.open));
    S.search();
  });
  Array.prototype.forEach.call(document.querySelectorAll('#amenities [data-amenity]'), function (chip) {
    chip.addEventListener('click', function () {
      var on = chip.getAttribute('aria-pressed') !== 'true';
      chip.setAttribute('aria-pressed', String(on));
      S.filters.amenities = Array.prototype.map.call(document.querySelectorAll('#amenities [aria-pressed="true"]'),
        function (c) { return c.dataset.amenity; });
      S.search();
    });
  });

  $('clear-filters').addEventListener('click', clearFilters);
  Array.prototype.forEach.call(document.querySelectorAll('.chips'), function (row) {
    row.addEventListener('scroll', function () { scrollHints(row); }, {passive: true});
    window.addEventListener('resize', function () { scrollHints(row); });
    scrollHints(row);
  });

  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(function () { /* no offline shell */ });
  if (cfg.notice) setStatus(cfg.notice);
  if (!navigator.onLine && showSaved()) return;
  if (cfg.focus) {
    var d = display(cfg.focus.lon, cfg.focus.lat);
    S.origin = {lon: cfg.focus.lon, lat: cfg.focus.lat, crs: 'wgs84', me: false, display: [d[1], d[0]]};
    S.search();
  }
  S.locate();
}());
