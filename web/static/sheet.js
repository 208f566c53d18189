/* The details sheet: hours in words, how to get in, amenities, photos, contact, navigate, report, "I was here". */
(function () {
  'use strict';
  var S = window.Stations, T = S.T, cfg = S.cfg, el = S.el;
  var RECEIPTS_KEY = 'stations:receipts';
  var current = null;

  function $(id) { return document.getElementById(id); }

  /* opening_hours (OSM syntax) in words for the common forms; anything else is shown as written. */
  function hoursInWords(expr) {
    if (!expr) return '';
    if (expr.trim() === '24/7') return T.always;
    if (/^(24\/7 )?unknown$/.test(expr.trim())) return T.hours_unknown;
    var days = T.days.split(','), codes = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
    return expr.split(';').map(function (rule) {
      return rule.trim()
        .replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su)-(Mo|Tu|We|Th|Fr|Sa|Su)\b/g, function (_, a, b) {
          return days[codes.indexOf(a)] + T.to + days[codes.indexOf(b)];
        })
        .replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su)\b/g, function (d) { return days[codes.indexOf(d)]; })
        .replace(/\bPH\b/g, T.ph).replace(/\boff\b/g, T.off).replace(/(\d\d:\d\d)-(\d\d:\d\d)/g, '$1–$2');
    }).filter(Boolean).join('；');
  }

  function fact(dl, term, value) {
    if (value == null || value === '' || (value.length === 0)) return;
    dl.appendChild(el('dt', null, term));
    var dd = el('dd');
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }

  function fill(p, full) {
    $('d-name').textContent = p.name || '';
    $('d-kind').textContent = [(p.functions || [p]).map(function (x) { return x.kind_label; }).join(' / '),
      p.distance_m != null ? Math.round(p.distance_m) + ' ' + T.m + ' · ' + T.walk + ' ' + p.walking_minutes + ' ' +
        T.minutes + ' · ' + T.ride + ' ' + p.riding_minutes + ' ' + T.minutes : ''].filter(Boolean).join(' · ');
    var line = p.open !== undefined ? S.openLine(p) : ['', true, ''];  // undefined: not from a lookup (no time asked)
    $('d-open').textContent = line[0] + (line[2] ? ' · ' + line[2] : '');
    $('d-open').className = 'open-line ' + S.stateClass(line[1]);
    var f = full || {}, dl = $('d-facts');
    dl.replaceChildren();
    fact(dl, T.address, p.address);
    fact(dl, T.hours, hoursInWords(p.hours));
    fact(dl, T.self_hours, hoursInWords(f.self_service_hours || p.self_service_hours));
    var access = (f.access_methods || p.access_methods || []).map(function (a) { return T['acc_' + a] || a; });
    fact(dl, T.how_in, access.join('、'));
    var amenities = full ? f.amenities_detail.map(function (a) { return cfg.lang === 'zh' ? a.zh : a.en; })
      : p.amenities.map(function (a) { return a.label; });
    fact(dl, T.amenities, amenities.join('、'));
    if (f.phone) {
      var a = el('a', null, f.phone);
      a.href = 'tel:' + f.phone.replace(/[^0-9+]/g, '');
      fact(dl, T.contact, a);
    }
    fact(dl, T.sign_code, f.sign_code || p.sign_code);
    fact(dl, T.verified, (f.verified_at || p.verified_at || T.never_verified).slice(0, 10));
    var photos = $('d-photos');
    photos.replaceChildren();
    (f.photos || []).forEach(function (url) {
      if (!/^(https:\/\/|\/)/.test(url)) return;
      var img = el('img');
      img.loading = 'lazy'; img.alt = ''; img.src = url; img.referrerPolicy = 'no-referrer';
      photos.appendChild(img);
    });
  }

  function setNav(links) {
    ['amap', 'baidu', 'tencent', 'geo'].forEach(function (k) { $('nav-' + k).href = links[k]; });
  }

  S.openDetails = function (feature) {
    current = {id: feature.id, props: feature.properties};
    $('d-navlinks').hidden = true;
    $('d-nav').setAttribute('aria-expanded', 'false');
    $('report-form').hidden = true;
    $('receipt').textContent = '';
    $('check-status').hidden = true;
    fill(feature.properties, null);
    setNav(feature.properties.navigation);
    $('sheet').hidden = false;
    fetch('/api/v1/stations/' + feature.id + '?lang=' + cfg.lang).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (full) {
        if (!full || !current || current.id !== feature.id) return;
        current.full = full.properties;
        fill(Object.assign({}, full.properties, feature.properties), full.properties);
      }, function () { /* offline: the list's data is enough */ });
  };

  $('d-close').addEventListener('click', function () { $('sheet').hidden = true; current = null; });
  $('d-nav').addEventListener('click', function () {
    var open = $('d-navlinks').hidden;
    $('d-navlinks').hidden = !open;
    this.setAttribute('aria-expanded', String(open));
  });
  $('d-report').addEventListener('click', function () { $('report-form').hidden = !$('report-form').hidden; });

  function showReceipt(r, isNew) {
    var text = S.fmt(T.receipt, {id: r.id, s: T['st_' + r.status] || r.status});
    $('receipt').textContent = r.kind === 'was_here' ? T.thanks_here + ' ' + text : text;
    $('receipt').dataset.id = r.id;
    $('check-status').hidden = false;
    if (!isNew) return;
    try {
      var list = JSON.parse(localStorage.getItem(RECEIPTS_KEY) || '[]');
      list.unshift({id: r.id, station: r.station_id, at: r.created_at});
      localStorage.setItem(RECEIPTS_KEY, JSON.stringify(list.slice(0, 20)));
    } catch (e) { /* storage full or blocked */ }
  }

  function send(body) {
    if (!current) return;
    fetch('/api/v1/stations/' + current.id + '/reports', {
      method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (b) { if (!r.ok) throw new Error(b.detail || r.status); return b; });
    }).then(function (r) { $('report-form').hidden = true; showReceipt(r, true); }, function (err) {
      $('receipt').textContent = S.fmt(T.error, {e: err.message});
    });
  }

  $('report-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var form = ev.target, body = {kind: form.elements.kind.value, text: form.elements.text.value.slice(0, 500) || null};
    // The worker's position is sent only when they tick the box; otherwise the report carries no location at all.
    if (form.elements.send_location.checked && S.me) body.location = {lon: S.me.lon, lat: S.me.lat, crs: 'wgs84'};
    send(body);
  });
  $('d-here').addEventListener('click', function () { send({kind: 'was_here'}); });
  $('check-status').addEventListener('click', function () {
    fetch('/api/v1/reports/' + encodeURIComponent($('receipt').dataset.id)).then(function (r) { return r.json(); })
      .then(function (r) { if (r.id) showReceipt(r, false); }, function () { /* offline */ });
  });

  if (cfg.focus) {
    var f = cfg.focus;
    S.openDetails({id: f.id, properties: {amenities: [], navigation: f.navigation}});
  }
}());
