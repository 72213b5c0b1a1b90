// The review pages' only script (served as /live.js; the Content-Security-Policy allows no inline
// script). It follows /events and, when an incident this page shows changes, fetches the page
// again and swaps in the parts marked data-live-part. Those parts hold no form field: what an
// engineer is typing in a form stays as it is.
(function () {
  'use strict';
  var main = document.querySelector('main[data-live]');
  if (!main || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var incident = main.getAttribute('data-incident'); // null on the incident list
  var busy = false;
  var again = false;

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, 'text/html');
    var parts = document.querySelectorAll('[data-live-part]');
    for (var i = 0; i < parts.length; i++) {
      var now = fresh.getElementById(parts[i].id);
      if (now) parts[i].replaceWith(document.importNode(now, true));
    }
    document.title = fresh.title;
    main.setAttribute('data-updated', String(Date.now()));
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(location.pathname, {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.text();
      })
      .then(swap)
      .catch(function () { /* the next event tries again */ })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  var opened = false;
  var events = new EventSource('/events');
  events.addEventListener('open', function () {
    main.setAttribute('data-live', 'open');
    // After a reconnect (the service restarted, the network dropped) events may have been missed.
    if (opened) refresh();
    opened = true;
  });
  events.addEventListener('incident', function (e) {
    if (!incident || e.data === incident) refresh();
  });
})();
