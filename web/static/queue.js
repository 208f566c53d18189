/* The outbox: a report, "I was here" or check-in tapped without a network is kept on the phone (IndexedDB) and sent
   when the network is back, once: every tap carries its own random Idempotency-Key, so a resend of a tap that did
   reach us is answered with the first receipt, never stored twice (docs/map.md#offline-taps). */
(function () {
  'use strict';
  var S = window.Stations, T = S.T;
  var DB = 'stations-outbox', STORE = 'taps', URLS = {report: '/reports', checkin: '/checkins'};
  var flushing = false, CHECKIN_FRESH_MS = 3600e3;

  function $(id) { return document.getElementById(id); }
  /* 32 hex digits from the browser's CSPRNG (crypto.randomUUID needs https; getRandomValues does not). */
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }

  function open() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) return reject(new Error('no IndexedDB'));
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, {keyPath: 'key'}); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function store(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), req = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(req && req.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function keep(tap) { return store('readwrite', function (s) { return s.put(tap); }); }
  function drop(key) { return store('readwrite', function (s) { return s.delete(key); }); }
  function pending() { return store('readonly', function (s) { return s.getAll(); }); }

  /* One attempt: resolves with the reply's JSON; rejects with a TypeError when there is no network (keep the tap),
     or with an Error whose message is the HTTP status (the server refused it: drop the tap, say so). */
  function post(tap) {
    return fetch('/api/v1/stations/' + tap.station + URLS[tap.what], {
      method: 'POST', headers: {'Content-Type': 'application/json', 'Idempotency-Key': tap.key},
      body: JSON.stringify(tap.body)
    }).then(function (r) {
      if (r.status >= 500) throw new TypeError(String(r.status));  // ours to fix or busy: keep it, try again
      return r.json().then(function (b) { if (!r.ok) throw new Error(String(r.status)); return b; });
    });
  }

  function outboxLine(text) { $('outbox').textContent = text || ''; $('outbox').hidden = !text; }

  /* Send a tap now; offline, keep it and call `queued`; when it reaches us, `done(reply)`; refused, `failed(status)`. */
  S.sendTap = function (what, station, name, body, done, queued, failed) {
    var tap = {key: newKey(), what: what, station: station, name: name || '', body: body, at: new Date().toISOString()};
    keep(tap).catch(function () { /* private mode without IndexedDB: sent once, not kept */ }).then(function () {
      return post(tap);
    }).then(function (reply) {
      drop(tap.key).catch(function () {});
      done(reply);
    }, function (err) {
      if (err instanceof TypeError) { queued(); S.showOutbox(); return; }
      drop(tap.key).catch(function () {});
      failed(err.message);
    });
  };

  S.showOutbox = function () {
    pending().then(function (taps) {
      outboxLine(taps.length ? S.fmt(T.outbox_waiting, {n: taps.length}) : '');
    }, function () {});
  };

  /* Send what waits, one at a time, once per reconnect; each delivered tap shows its receipt. */
  S.flushOutbox = function () {
    if (flushing || navigator.onLine === false) return;
    flushing = true;
    var delivered = [];
    pending().then(function (taps) {
      return taps.reduce(function (chain, tap) {
        return chain.then(function () {
          // A check-in says how the station is now, and the server stamps it on arrival: one older than an hour
          // would confirm the wrong moment, so it is dropped, not sent.
          if (tap.what === 'checkin' && Date.now() - Date.parse(tap.at) > CHECKIN_FRESH_MS) return drop(tap.key);
          return post(tap).then(function (reply) {
            delivered.push(S.fmt(T.outbox_sent, {name: tap.name, id: reply.id || T['ci_' + reply.outcome] || ''}));
            if (S.delivered) S.delivered(tap, reply);
            return drop(tap.key);
          }, function (err) {
            if (!(err instanceof TypeError)) return drop(tap.key);  // refused (gone, 409, 422): never resend
          });
        });
      }, Promise.resolve());
    }).catch(function () {}).then(function () {
      flushing = false;
      if (delivered.length) outboxLine(delivered.join(T.list_sep));
      else S.showOutbox();
    });
  };

  window.addEventListener('online', S.flushOutbox);
  S.flushOutbox();
}());
