/* The details sheet: hours in words (from the API), how to get in, amenities, stars, photos, contact, navigate,
   check in (open / closed / can't get in / broken), report, "I was here". */
(function () {
  'use strict';
  var S = window.Stations, T = S.T, cfg = S.cfg, el = S.el;
  var RECEIPTS_KEY = 'stations:receipts';
  var current = null;

  function $(id) { return document.getElementById(id); }

  /* WeChat's browser blocks links into other apps: the Navigate sheet says how to leave it, and copies the address. */
  var WECHAT = /MicroMessenger/i.test(navigator.userAgent);

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
    // Hours in words come from the API (stations/hours/words.py); results saved by an older page have none.
    fact(dl, T.hours, p.hours_text || p.hours);
    fact(dl, T.self_hours, f.self_service_hours_text || p.self_service_hours_text);
    fact(dl, T.how_in, f.access_text || p.access_text);
    var amenities = full ? f.amenities_detail.map(function (a) { return cfg.lang === 'zh' ? a.zh : a.en; })
      : p.amenities.map(function (a) { return a.label; });
    fact(dl, T.amenities, amenities.join(T.list_sep));
    if (f.phone) {
      var a = el('a', null, f.phone);
      a.href = 'tel:' + f.phone.replace(/[^0-9+]/g, '');
      fact(dl, T.contact, a);
    }
    fact(dl, T.sign_code, f.sign_code || p.sign_code);
    fact(dl, T.verified, (f.verified_at || p.verified_at || T.never_verified).slice(0, 10));
    var stars = f.star_rating || p.star_rating;
    if (stars) {
      var st = el('span', 'stars', '★★★★★'.slice(0, stars) + '☆☆☆☆☆'.slice(0, 5 - stars));
      st.setAttribute('aria-label', stars + '/5');
      var wrap = el('span');
      wrap.appendChild(st);
      if (f.star_rule_version && f.star_rated_on) wrap.appendChild(document.createTextNode(S.fmt(T.star_rule, {v: f.star_rated_on.slice(0, 4)})));
      fact(dl, T.stars, wrap);
    }
    var confirmed = S.confirmedLine(f.confirmed_open_at || p.confirmed_open_at);
    $('d-confirmed').textContent = confirmed;
    $('d-confirmed').hidden = !confirmed;
    var photos = $('d-photos');
    photos.replaceChildren();
    (f.photos || []).forEach(function (url) {
      if (!/^(https:\/\/|\/)/.test(url)) return;
      var ours = /^\/photos\/P[0-9A-Z]{15}\.jpg$/.test(url);  // ours have a thumbnail beside them
      var img = el('img'), link = el('a');
      img.loading = 'lazy'; img.alt = T.photos; img.src = ours ? url.replace(/\.jpg$/, '.thumb.jpg') : url;
      img.referrerPolicy = 'no-referrer';
      link.href = url; link.rel = 'noopener'; link.appendChild(img);
      photos.appendChild(link);
    });
    brokenChoices(full ? f.amenities_detail.map(function (a) { return {code: a.code, label: cfg.lang === 'zh' ? a.zh : a.en}; })
      : p.amenities);
  }

  /* "2 天前有人确认开放": days between the device's local dates of then and now ('' when never or in a month+). */
  S.confirmedLine = function (iso) {
    if (!iso) return '';
    var then = new Date(iso), now = new Date();
    var days = Math.round((new Date(now.getFullYear(), now.getMonth(), now.getDate()) -
      new Date(then.getFullYear(), then.getMonth(), then.getDate())) / 864e5);
    if (!(days >= 0) || days > 30) return '';
    return days === 0 ? T.confirmed_today : days === 1 ? T.confirmed_yesterday : S.fmt(T.confirmed_days, {n: days});
  };

  function brokenChoices(amenities) {
    var box = $('broken-list');
    box.replaceChildren();
    (amenities || []).concat([{code: null, label: T.ci_unsure}]).forEach(function (a) {
      var b = el('button', 'btn small', a.label);
      b.type = 'button';
      b.addEventListener('click', function () { checkin('broken', a.code); });
      box.appendChild(b);
    });
  }

  function checkin(outcome, amenity) {
    if (!current) return;
    // Through the outbox (queue.js): kept on the phone when offline, sent once with its tap key.
    S.sendTap('checkin', current.id, current.props.name, {outcome: outcome, amenity: amenity || null}, checkedIn,
      function () { $('broken-list').hidden = true; $('checkin-result').textContent = T.ci_queued; },
      function (status) { $('checkin-result').textContent = status === '429' ? T.ci_again : S.fmt(T.error, {e: status}); });
  }
  function checkedIn(c) {
    $('broken-list').hidden = true;
    $('checkin-result').textContent = S.fmt(T.ci_thanks, {o: T['ci_' + c.outcome]});
    var line = S.confirmedLine(c.confirmed_open_at);
    $('d-confirmed').textContent = line;
    $('d-confirmed').hidden = !line;
  }

  Array.prototype.forEach.call(document.querySelectorAll('#checkin [data-outcome]'), function (b) {
    b.addEventListener('click', function () {
      if (b.dataset.outcome === 'broken') { $('broken-list').hidden = !$('broken-list').hidden; return; }
      checkin(b.dataset.outcome, null);
    });
  });

  function setNav(links) {
    ['amap', 'baidu', 'tencent', 'geo'].forEach(function (k) { $('nav-' + k).href = links[k]; });
  }

  S.openDetails = function (feature) {
    current = {id: feature.id, props: feature.properties};
    $('d-navlinks').hidden = true;
    $('d-wechat').hidden = true;
    $('d-copied').textContent = '';
    $('d-nav').setAttribute('aria-expanded', 'false');
    $('report-form').hidden = true;
    $('receipt').textContent = '';
    $('check-status').hidden = true;
    $('checkin-result').textContent = '';
    $('broken-list').hidden = true;
    $('d-here').disabled = false;
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
    $('d-wechat').hidden = !(open && WECHAT);
    this.setAttribute('aria-expanded', String(open));
  });
  $('d-copy').addEventListener('click', function () {
    var p = current ? Object.assign({}, current.full, current.props) : {};
    var text = [p.name, p.address].filter(Boolean).join(' ');
    $('d-copytext').value = text;
    function done(ok) {
      $('d-copied').textContent = ok ? T.copied : T.copy_by_hand;
      $('d-copytext').hidden = ok;
      if (!ok) $('d-copytext').select();
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    else { $('d-copytext').hidden = false; $('d-copytext').select(); done(document.execCommand && document.execCommand('copy')); }
  });
  $('d-report').addEventListener('click', function () { $('report-form').hidden = !$('report-form').hidden; });

  function showReceipt(r, isNew) {
    var text = S.fmt(T.receipt, {id: r.id, s: T['st_' + r.status] || r.status});
    $('receipt').textContent = r.kind === 'was_here' ? T.thanks_here + ' ' + text : text;
    $('receipt').dataset.id = r.id;
    $('check-status').hidden = false;
    if (isNew) rememberReceipt(r);
  }
  function rememberReceipt(r) {
    try {
      var list = JSON.parse(localStorage.getItem(RECEIPTS_KEY) || '[]');
      list.unshift({id: r.id, station: r.station_id, at: r.created_at});
      localStorage.setItem(RECEIPTS_KEY, JSON.stringify(list.slice(0, 20)));
    } catch (e) { /* storage full or blocked */ }
  }

  function send(body) {
    if (!current) return;
    var id = current.id;
    $('report-form').hidden = true;
    S.sendTap('report', id, current.props.name, body, function (r) { showReceipt(r, true); },
      function () { $('receipt').textContent = T.report_queued; },
      function (status) { $('receipt').textContent = S.fmt(T.error, {e: status}); });
  }
  /* A tap kept offline reached us (queue.js): its receipt is kept like any other, and shown if its station is open. */
  S.delivered = function (tap, reply) {
    if (tap.what === 'report') rememberReceipt(reply);
    if (!current || current.id !== tap.station) return;
    if (tap.what === 'report') showReceipt(reply, false); else checkedIn(reply);
  };

  $('report-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var form = ev.target, body = {kind: form.elements.kind.value, text: form.elements.text.value.slice(0, 500) || null};
    // The worker's position is sent only when they tick the box; otherwise the report carries no location at all.
    if (form.elements.send_location.checked && S.me) body.location = {lon: S.me.lon, lat: S.me.lat, crs: 'wgs84'};
    send(body);
  });
  $('d-here').addEventListener('click', function () { this.disabled = true; send({kind: 'was_here'}); });  // once a visit
  $('check-status').addEventListener('click', function () {
    fetch('/api/v1/reports/' + encodeURIComponent($('receipt').dataset.id)).then(function (r) { return r.json(); })
      .then(function (r) { if (r.id) showReceipt(r, false); }, function () { /* offline */ });
  });

  if (cfg.focus) {
    var f = cfg.focus;
    S.openDetails({id: f.id, properties: {amenities: [], navigation: f.navigation}});
  }
}());
