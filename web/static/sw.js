/* Service worker: the app shell works offline. Pages: network first, cached copy when offline.
   Static files: cached copy at once, refreshed in the background. The API is not cached here: the page
   keeps the last nearest results itself and says how old they are. */
'use strict';
var CACHE = 'stations-shell-v3';
var SHELL = ['/', '/static/map.css', '/static/map.js', '/static/sheet.js', '/static/alerts.js', '/static/queue.js',
  '/static/icons.svg',
  '/static/vendor/leaflet/leaflet.js', '/static/vendor/leaflet/leaflet.css', '/static/manifest.webmanifest',
  '/static/icons/icon.svg'];

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (hit) { return hit || caches.match('/'); });
  });
}

function staleWhileRevalidate(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
      if (hit) { fresh.catch(function () {}); return hit; }
      return fresh;
    });
  });
}

self.addEventListener('fetch', function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (event.request.mode === 'navigate') event.respondWith(networkFirst(event.request));
  else if (url.pathname.indexOf('/static/') === 0) event.respondWith(staleWhileRevalidate(event.request));
});
