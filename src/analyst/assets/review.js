/*
 * The free-text review page (issue 20): a reviewer reads each free-text answer as redaction left
 * it, with what was replaced marked, and approves it, redacts more (select words, then "Redact
 * selection") or deletes it. Only approved answers are ever exported. The page talks to the
 * analyst API with the dashboard's session cookie; it holds no data itself.
 */
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('review-config').textContent);
  var strings = config.strings;
  var $ = function (id) {
    return document.getElementById(id);
  };

  function text(key, vars) {
    var value = key.split('.').reduce(function (o, k) {
      return o && o[k];
    }, strings);
    if (typeof value !== 'string') return key;
    return value.replace(/\{\{(\w+)\}\}/g, function (_, name) {
      return vars && name in vars ? String(vars[name]) : '';
    });
  }

  document.querySelectorAll('[data-t]').forEach(function (el) {
    el.textContent = text(el.getAttribute('data-t'));
  });

  function api(path, options) {
    options = options || {};
    return fetch(config.api + path, {
      method: options.method || 'GET',
      headers: Object.assign({ 'Accept-Language': config.lang }, options.body ? { 'Content-Type': 'application/json' } : {}),
      body: options.body,
      credentials: 'same-origin',
      cache: 'no-store',
    }).then(
      function (res) {
        return res.json().then(
          function (body) {
            if (!res.ok) throw Object.assign(new Error((body && body.message) || String(res.status)), { status: res.status });
            return body;
          },
          function () {
            throw Object.assign(new Error(String(res.status)), { status: res.status });
          },
        );
      },
      function () {
        throw new Error(text('network'));
      },
    );
  }

  function showError(err) {
    if (err && err.status === 401) {
      $('queue').hidden = true;
      $('signed-out').hidden = false;
      return;
    }
    $('error').textContent = (err && err.message) || String(err);
  }

  /** The item's text with its placeholders in <mark>: textContent stays exactly the stored text. */
  function renderText(el, item) {
    el.textContent = '';
    var at = 0;
    item.marks.forEach(function (span) {
      if (span[0] > at) el.appendChild(document.createTextNode(item.text.slice(at, span[0])));
      var mark = document.createElement('mark');
      mark.textContent = item.text.slice(span[0], span[1]);
      mark.title = text('replaced');
      el.appendChild(mark);
      at = span[1];
    });
    if (at < item.text.length) el.appendChild(document.createTextNode(item.text.slice(at)));
  }

  /** The selection inside `el` as offsets into its text, or undefined. */
  function selectionIn(el) {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return undefined;
    var range = sel.getRangeAt(0);
    if (!el.contains(range.startContainer) || !el.contains(range.endContainer)) return undefined;
    var before = document.createRange();
    before.setStart(el, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var start = before.toString().length;
    return { start: start, end: start + range.toString().length };
  }

  function button(key, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = text(key);
    b.setAttribute('data-action', key.replace('actions.', ''));
    b.addEventListener('click', onClick);
    return b;
  }

  function renderItem(item) {
    var li = document.createElement('li');
    li.className = 'review-item';
    li.setAttribute('data-item', item.id);
    var q = document.createElement('p');
    q.className = 'question';
    q.textContent = text('question', { question: item.questionText, language: item.language, version: item.version });
    var body = document.createElement('p');
    body.className = 'text';
    // Answers come in every language the survey has; each paragraph finds its own direction.
    body.dir = 'auto';
    body.lang = item.language;
    renderText(body, item);
    var status = document.createElement('p');
    status.className = 'status';
    status.setAttribute('role', 'status');
    var buttons = document.createElement('div');
    buttons.className = 'buttons';
    function act(action, payload) {
      $('error').textContent = '';
      return api('/review/items/' + encodeURIComponent(item.id) + '/' + action, { method: 'POST', body: JSON.stringify(payload || {}) }).then(function (
        updated,
      ) {
        item.text = updated.text;
        item.marks = updated.marks;
        item.state = updated.state;
        renderText(body, item);
        status.textContent = text('done.' + action);
        // An approved answer needs no second approval, and a deleted one takes no decision at all.
        if (updated.state === 'deleted') buttons.remove();
        var approve = buttons.querySelector('button[data-action=approve]');
        if (updated.state === 'approved' && approve) approve.remove();
        if (updated.state !== 'pending') li.classList.add('decided');
        refreshCounts();
      }, showError);
    }
    if (item.state !== 'deleted') {
      buttons.appendChild(
        button('actions.redact', function () {
          var span = selectionIn(body);
          if (!span) {
            status.textContent = text('select_first');
            return;
          }
          act('redact', span);
        }),
      );
      if (item.state !== 'approved')
        buttons.appendChild(
          button('actions.approve', function () {
            act('approve');
          }),
        );
      buttons.appendChild(
        button('actions.delete', function () {
          if (window.confirm(text('confirm_delete'))) act('delete');
        }),
      );
    }
    li.appendChild(q);
    li.appendChild(body);
    li.appendChild(buttons);
    li.appendChild(status);
    return li;
  }

  function query() {
    return '?survey=' + encodeURIComponent($('survey').value) + '&state=' + encodeURIComponent($('state').value);
  }

  function showCounts(counts) {
    $('counts').textContent = text('counts', counts);
  }

  function refreshCounts() {
    api('/review/items' + query() + '&limit=1').then(function (r) {
      showCounts(r.counts);
    }, showError);
  }

  function load() {
    $('error').textContent = '';
    api('/review/items' + query()).then(function (r) {
      showCounts(r.counts);
      var list = $('items');
      list.textContent = '';
      if (!r.items.length) {
        var empty = document.createElement('li');
        empty.textContent = text('empty');
        list.appendChild(empty);
      }
      r.items.forEach(function (item) {
        list.appendChild(renderItem(item));
      });
    }, showError);
  }

  api('/session')
    .then(function () {
      return api('/surveys');
    })
    .then(function (r) {
      r.surveys.forEach(function (s) {
        var o = document.createElement('option');
        o.value = s.id;
        o.textContent = s.id;
        if (s.id === r.default) o.selected = true;
        $('survey').appendChild(o);
      });
      $('queue').hidden = false;
      $('survey').addEventListener('change', load);
      $('state').addEventListener('change', load);
      load();
    }, showError);
})();
