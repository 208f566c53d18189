/* Weather alerts on the worker map (issue 24): a banner with the alert over the searched place (colour, title,
   headline, until when, the labour guidance for its level), the reason a station is open in its alert hours, and
   a chip that keeps only the stations fitting the alert. Data goes in with textContent only. */
(function () {
  'use strict';
  var S = window.Stations;
  if (!S) return;
  var zh = S.cfg.lang !== 'en';
  var W = zh ? {until: '至 {t}', chip_heat: '只看清凉驿站', chip_cold: '只看取暖驿站', fits_heat: '有空调和饮水',
    fits_cold: '有取暖和热水', extended: '预警期间延长开放', offers: '预警期间提供：'}
    : {until: 'until {t}', chip_heat: 'Cool stations only', chip_cold: 'Warm stations only',
      fits_heat: 'Air conditioning and water', fits_cold: 'Heating and hot water', extended: 'Extended hours (alert)',
      offers: 'During the alert: '};
  var box = document.createElement('section');
  box.id = 'alert-banner';
  box.className = 'alert-banner';
  box.setAttribute('role', 'alert');
  box.hidden = true;
  var mapbox = document.querySelector('.mapbox');
  mapbox.parentNode.insertBefore(box, mapbox);
  var chip = document.createElement('button');
  chip.type = 'button';
  chip.className = 'chip';
  chip.id = 'fits-alert';
  chip.setAttribute('aria-pressed', 'false');
  chip.hidden = true;
  var kinds = document.getElementById('kinds');
  kinds.insertBefore(chip, kinds.firstChild);  // first: during an alert it is the filter that matters
  var current = null, asked = '';

  function line(cls, text) {
    var p = document.createElement('p');
    p.className = cls;
    p.textContent = text;
    return p;
  }
  // "7月21日 20:00" in Beijing time, whatever offset the API wrote.
  function beijing(iso) {
    var d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000), two = function (n) { return (n < 10 ? '0' : '') + n; };
    var day = zh ? (d.getUTCMonth() + 1) + '月' + d.getUTCDate() + '日' : d.toISOString().slice(0, 10);
    return day + ' ' + two(d.getUTCHours()) + ':' + two(d.getUTCMinutes());
  }

  function show(reply) {
    var a = (reply.data || []).filter(function (x) { return x.active; })[0] || null;
    current = a;
    box.replaceChildren();
    box.hidden = !a;
    chip.hidden = !a || !W['chip_' + a.alert_type];
    if (chip.hidden && S.filters.fitsAlert) {  // the alert ended: the chip's filter would leave the list empty
      S.filters.fitsAlert = false;
      chip.setAttribute('aria-pressed', 'false');
      S.search();
    }
    if (!a) return;
    box.className = 'alert-banner level-' + a.level;
    box.appendChild(line('alert-title', a.title + ' · ' + W.until.replace('{t}', beijing(a.ends_at))));
    box.appendChild(line('alert-headline', a.headline));
    box.appendChild(line('alert-guidance', a.labour_guidance));
    chip.textContent = W['chip_' + a.alert_type] || '';
  }

  chip.addEventListener('click', function () {
    S.filters.fitsAlert = !S.filters.fitsAlert;
    chip.setAttribute('aria-pressed', String(S.filters.fitsAlert));
    S.search();
  });

  // After each list: the alerts over the searched place (once per place; the API is cached for a minute).
  S.onRender = function () {
    var o = S.origin;
    if (!o) return;
    var params = new URLSearchParams({lon: o.lon.toFixed(6), lat: o.lat.toFixed(6), crs: o.crs, lang: S.cfg.lang});
    if (String(params) === asked) return;
    asked = String(params);
    fetch('/api/v1/alerts?' + params).then(function (r) { return r.ok ? r.json() : {data: []}; })
      .then(show, function () { /* offline: no banner */ });
  };

  // A station open only in its alert hours says so; one that fits the alert says why it comes first.
  var openLine = S.openLine;
  S.openLine = function (p) {
    var said = openLine(p), alert = p.alert;
    if (!alert) return said;
    var label = alert.extended_hours && p.open ? (alert.reason || W.extended) + ' · ' + said[0] : said[0];
    var kind = current ? current.alert_type : 'heat';
    var note = alert.fits ? [said[2], W['fits_' + kind]].filter(Boolean).join(' · ') : said[2];
    return [label, said[1], note];
  };
}());
