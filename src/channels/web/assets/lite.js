/*
 * The light chat page's script (litePage.ts serves the page): this server's Direct Line subset,
 * spoken by hand, for phones that cannot afford Web Chat. The server has already opened the
 * conversation and written its greeting into the page; this takes over from there. The server
 * offers no stream (no WebSocket), so replies are polled: at once after each message (a turn's
 * replies are written before its POST is answered), then less and less often while nothing comes,
 * and not at all while the page is hidden. Plain ES5 and fetch, no build step: it runs as served
 * on old phone browsers. Every text comes from the locale files (#survey-config); none is here.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('survey-config').textContent);
  var locales = {};
  config.locales.forEach(function (l) {
    locales[l.tag] = l;
  });
  var byId = function (id) {
    return document.getElementById(id);
  };
  var chat = byId('chat');
  var transcript = byId('transcript');
  var actions = byId('actions');
  var statusLine = byId('status');
  var form = byId('send-box');
  var input = byId('send-text');
  var sendButton = byId('send-button');

  // sessionStorage, as the Web Chat page: a reload continues, a closed tab forgets (a shared phone).
  var SESSION_KEY = 'survey.lite' + (config.survey ? '.' + config.survey : '');
  var FIRST_POLL_MS = 1500;
  var LONGEST_POLL_MS = 20000;

  var locale = config.locale;
  var session = null;
  var stopped = false;
  var pollTimer = null;
  var pollDelay = FIRST_POLL_MS;
  var polling = false;
  var pollAgain = false;
  var refreshing = null;
  // Messages sent and not yet seen echoed, by clientActivityID: the echo is not shown twice.
  var pending = {};
  var shownStatus = null;

  function read() {
    try {
      return JSON.parse(window.sessionStorage.getItem(SESSION_KEY) || 'null');
    } catch (e) {
      return null; // storage blocked (some private modes): the page works, without resume
    }
  }
  function save() {
    try {
      if (session) window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
      else window.sessionStorage.removeItem(SESSION_KEY);
    } catch (e) {
      /* see read() */
    }
  }

  /** The token's claims (iat, exp): the client needs them to renew it in time. */
  function claims(token) {
    try {
      return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    } catch (e) {
      return { iat: 0, exp: 0 };
    }
  }

  /** The same rules as the bot's negotiateLocale: region dropped, "no"/"nob" is bokmål. */
  function supported(tag) {
    if (!tag) return undefined;
    var primary = String(tag).trim().toLowerCase().split(/[-_]/)[0];
    if (primary === 'no' || primary === 'nob') primary = 'nb';
    if (primary === 'nno') primary = 'nn';
    return locales[primary] ? primary : undefined;
  }

  function texts() {
    return locales[locale];
  }

  /** The page follows the language the bot says the respondent chose. */
  function applyLocale(tag) {
    locale = tag;
    var l = texts();
    document.documentElement.lang = l.tag;
    document.documentElement.dir = l.dir;
    document.title = l.title;
    byId('survey-title').textContent = l.title;
    byId('survey-privacy').textContent = l.privacy;
    input.placeholder = l.placeholder;
    input.setAttribute('aria-label', l.placeholder);
    sendButton.textContent = l.send;
    if (shownStatus) setStatus(shownStatus);
    var notes = transcript.querySelectorAll('.msg-failed');
    for (var i = 0; i < notes.length; i++) fillFailedNote(notes[i]);
  }

  /** One line under the transcript: connecting, unreachable, expired (with a button to start again). */
  function setStatus(key) {
    shownStatus = key;
    statusLine.textContent = key ? texts()[key] : '';
    statusLine.className = 'status' + (key && key !== 'connecting' ? ' error' : '');
    if (key === 'expired') {
      var restart = document.createElement('button');
      restart.type = 'button';
      restart.className = 'link';
      restart.textContent = texts().restart;
      restart.onclick = function () {
        session = null;
        save();
        window.location.reload();
      };
      statusLine.appendChild(restart);
    }
  }

  function setEnabled(on) {
    input.disabled = !on;
    sendButton.disabled = !on;
    var buttons = actions.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = !on;
  }

  function scrollToEnd() {
    chat.scrollTop = chat.scrollHeight;
  }

  function appendMessage(role, text) {
    var li = document.createElement('li');
    li.className = 'msg ' + role;
    li.textContent = text;
    transcript.appendChild(li);
    scrollToEnd();
    return li;
  }

  function showActions(list) {
    actions.textContent = '';
    (list || []).forEach(function (a) {
      if (a.type !== 'imBack' || typeof a.value !== 'string') return;
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'action';
      b.setAttribute('data-value', a.value);
      b.textContent = a.title || a.value;
      actions.appendChild(b);
    });
  }

  /** Shows what came after the watermark, once: a poll and a post's answer may both bring it. */
  function receive(activities, watermark) {
    var after = Number(session.watermark) || 0;
    render(
      activities.filter(function (a) {
        var seq = a.channelData && a.channelData['webchat:sequence-id'];
        return typeof seq !== 'number' || seq > after;
      }),
    );
    if (watermark && Number(watermark) > after) session.watermark = watermark;
    save();
  }

  function render(activities) {
    activities.forEach(function (a) {
      if (a.type !== 'message') return;
      if (a.from && a.from.role === 'user') {
        var id = a.channelData && a.channelData.clientActivityID;
        if (id && pending[id]) delete pending[id];
        else if (a.text) appendMessage('user', a.text);
        return;
      }
      var chosen = supported(a.locale);
      if (chosen && chosen !== locale) applyLocale(chosen);
      if (a.text) appendMessage('bot', a.text);
      showActions(a.suggestedActions && a.suggestedActions.actions);
    });
    if (!stopped) setEnabled(true);
    // Again after the buttons: they take height from the transcript.
    scrollToEnd();
  }

  /** A Direct Line call with the conversation's token; resolves to { status, body }, rejects when offline. */
  function call(method, path, body, token) {
    return window
      .fetch(config.directLine + path, {
        method: method,
        credentials: 'omit',
        headers: { Authorization: 'Bearer ' + (token || session.token), 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      .then(function (res) {
        return res.json().then(
          function (json) {
            return { status: res.status, body: json };
          },
          function () {
            return { status: res.status, body: null };
          },
        );
      });
  }

  /** Every token problem is 403 (directLine.ts): this conversation cannot go on; say so, offer a new one. */
  function expired() {
    stopped = true;
    clearTimeout(pollTimer);
    session = null;
    save();
    setEnabled(false);
    setStatus('expired');
  }

  /** Renews the token at half its life (30 minutes by default), once at a time. */
  function fresh() {
    var c = claims(session.token);
    if (Date.now() / 1000 < c.iat + (c.exp - c.iat) / 2) return Promise.resolve();
    refreshing =
      refreshing ||
      call('POST', '/tokens/refresh').then(
        function (res) {
          refreshing = null;
          if (res.status === 200 && res.body && res.body.token) {
            session.token = res.body.token;
            save();
          } else if (res.status === 403) expired();
        },
        function (err) {
          refreshing = null;
          throw err;
        },
      );
    return refreshing;
  }

  function schedule(delay) {
    clearTimeout(pollTimer);
    if (stopped) return;
    pollTimer = setTimeout(poll, delay === undefined ? pollDelay : delay);
  }

  function pollNow() {
    pollDelay = FIRST_POLL_MS;
    if (polling) pollAgain = true;
    else schedule(0);
  }

  function poll() {
    if (stopped || !session) return;
    // A hidden page does not spend the respondent's data; it looks again when shown.
    if (document.hidden) return;
    polling = true;
    var done = function () {
      polling = false;
      if (pollAgain) {
        pollAgain = false;
        schedule(0);
      } else schedule();
    };
    fresh()
      .then(function () {
        if (stopped) return;
        return call('GET', '/conversations/' + encodeURIComponent(session.conversationId) + '/activities?watermark=' + session.watermark).then(function (res) {
          if (res.status === 403) return expired();
          if (res.status !== 200 || !res.body) return unreachable();
          if (shownStatus === 'unreachable' || shownStatus === 'connecting') setStatus(null);
          var list = res.body.activities || [];
          if (list.length) pollDelay = FIRST_POLL_MS;
          else pollDelay = Math.min(pollDelay * 2, LONGEST_POLL_MS);
          receive(list, res.body.watermark);
        });
      })
      .then(done, function () {
        unreachable();
        done();
      });
  }

  function unreachable() {
    setStatus('unreachable');
    pollDelay = Math.min(Math.max(pollDelay * 2, 4000), LONGEST_POLL_MS);
  }

  /** "Not sent. [Try again][RETRY]": the locale's Web Chat text, its link made a button here. */
  function fillFailedNote(note) {
    var parts = /^([^[]*)\[([^\]]+)\]\[RETRY\](.*)$/.exec(texts().sendFailed) || [null, texts().sendFailed, texts().send, ''];
    var retry = note.retry;
    note.textContent = parts[1];
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'link';
    b.textContent = parts[2];
    b.onclick = retry;
    note.appendChild(b);
    if (parts[3]) note.appendChild(document.createTextNode(parts[3]));
  }

  function post(id, text, li) {
    var failed = function () {
      var note = document.createElement('li');
      note.className = 'msg-failed';
      note.retry = function () {
        transcript.removeChild(note);
        li.className = 'msg user pending';
        post(id, text, li);
      };
      fillFailedNote(note);
      transcript.insertBefore(note, li.nextSibling);
      scrollToEnd();
    };
    fresh()
      .then(function () {
        if (stopped) return;
        // The same clientActivityID on a retry: the server handles a message once, however often it arrives.
        // With the watermark the answer brings the replies too (directLine.ts): no poll's round trip.
        var path = '/conversations/' + encodeURIComponent(session.conversationId) + '/activities?watermark=' + session.watermark;
        return call('POST', path, {
          type: 'message',
          text: text,
          locale: locale,
          channelData: { clientActivityID: id },
        }).then(function (res) {
          if (res.status === 403) return expired();
          if (res.status !== 200) return failed();
          li.className = 'msg user';
          if (shownStatus === 'unreachable') setStatus(null);
          if (res.body && res.body.activities) {
            receive(res.body.activities, res.body.watermark);
            // Later replies, if any, come with the slowing polls.
            pollDelay = FIRST_POLL_MS;
            schedule();
          } else pollNow();
        });
      })
      .then(undefined, failed);
  }

  function send(text) {
    if (stopped || !session || !text.replace(/\s+/g, '')) return;
    showActions([]);
    var li = appendMessage('user pending', text);
    var id = 'lite-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
    pending[id] = li;
    post(id, text, li);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value;
    input.value = '';
    send(text);
  });
  actions.addEventListener('click', function (e) {
    var b = e.target;
    while (b && b !== actions && !(b.getAttribute && b.getAttribute('data-value') !== null)) b = b.parentNode;
    if (b && b !== actions && !b.disabled) send(b.getAttribute('data-value'));
  });
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) pollNow();
  });

  /** No conversation in the page (a prefetch, the server busy): open one from here. */
  function open() {
    setStatus('connecting');
    window
      .fetch(config.directLine + '/tokens/generate', {
        method: 'POST',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json' },
        // The start link's survey and source ride in the token (src/channels/directline/tokens.ts).
        body: JSON.stringify(Object.assign({}, config.survey ? { survey: config.survey } : {}, config.src ? { src: config.src } : {})),
      })
      .then(function (res) {
        if (res.status !== 200) throw new Error('tokens/generate ' + res.status);
        return res.json();
      })
      .then(function (generated) {
        return call('POST', '/conversations', config.greet ? { locale: config.greet } : {}, generated.token);
      })
      .then(function (res) {
        if (res.status !== 201 || !res.body) throw new Error('conversations ' + res.status);
        session = { conversationId: res.body.conversationId, token: res.body.token, watermark: '0' };
        save();
        pollNow();
      })
      .then(undefined, function () {
        setStatus('unreachable');
        setTimeout(open, 8000);
      });
  }

  var saved = read();
  var embedded = config.conversation;
  if (saved && saved.token && saved.conversationId && (!embedded || saved.conversationId !== embedded.conversationId)) {
    // A reload: this tab's conversation goes on, shown again from its start. The one the server
    // opened for this load is left to expire with its state; it holds no answer.
    session = { conversationId: saved.conversationId, token: saved.token, watermark: '0' };
    transcript.textContent = '';
    showActions([]);
    pollNow();
  } else if (embedded) {
    session = { conversationId: embedded.conversationId, token: embedded.token, watermark: embedded.watermark };
    save();
    setEnabled(true);
    scrollToEnd();
    schedule();
  } else open();
})();
