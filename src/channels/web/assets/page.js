/*
 * The respondent's page: Bot Framework Web Chat on this server's Direct Line subset.
 * Plain browser script (no build step): it is served as is, next to Web Chat's own bundle.
 * Every text comes from the server's locale files (the JSON in #survey-config); none is written here.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('survey-config').textContent);
  var locales = {};
  config.locales.forEach(function (l) {
    locales[l.tag] = l;
  });

  // sessionStorage, not cookies or localStorage: the conversation survives a reload of this tab
  // and is gone when the tab closes, so a shared phone does not hand the survey to the next person.
  // One conversation per survey: a tab that opens another survey's link starts that survey.
  var SESSION_KEY = 'survey.directline' + (config.survey ? '.' + config.survey : '');
  var LOCALE_KEY = 'survey.locale';
  var RESTART_KEY = 'survey.restarted';

  function read(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (e) {
      return null; // storage blocked (private mode on some browsers): the page still works, without resume
    }
  }
  function write(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch (e) {
      /* see read() */
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

  function browserLocale() {
    var list = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    for (var i = 0; i < list.length; i++) {
      var tag = supported(list[i]);
      if (tag) return tag;
    }
    return undefined;
  }

  // The language to greet in: the start link's (?lang=so), one chosen earlier in this tab, else the browser's.
  var hint = supported(config.lang) || supported(read(LOCALE_KEY)) || browserLocale();
  var locale = hint || config.defaultLocale;
  var container = document.getElementById('webchat');
  var directLine;
  var store;

  /** Page texts and direction follow the language: from the browser first, then the respondent's choice. */
  function applyPageLocale() {
    var l = locales[locale];
    document.documentElement.lang = l.tag;
    document.documentElement.dir = l.dir;
    document.title = l.title;
    document.getElementById('survey-title').textContent = l.title;
    document.getElementById('survey-privacy').textContent = l.privacy;
  }

  function render() {
    var l = locales[locale];
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: store,
        // Web Chat stamps this on every message, so the bot hears the page's language.
        locale: l.tag,
        dir: l.dir,
        nonce: config.nonce,
        overrideLocalizedStrings: l.webchat,
        sendTypingIndicator: false,
        styleOptions: {
          hideUploadButton: true,
          // Wrapped buttons, not a sideways carousel: on a narrow phone every choice stays visible.
          suggestedActionLayout: 'flow',
          suggestedActionHeight: 44,
          suggestedActionBorderRadius: 6,
          suggestedActionBorderWidth: 1,
          bubbleMinWidth: 0,
          bubbleMaxWidth: 560,
          bubbleBorderRadius: 8,
          bubbleFromUserBorderRadius: 8,
          bubbleFromUserBackground: '#e8f1fb',
          sendBoxHeight: 48,
          primaryFont: 'inherit',
          fontSizeSmall: '85%',
          paddingRegular: 8,
        },
      },
      container,
    );
  }

  function setLocale(tag) {
    if (tag === locale) return;
    locale = tag;
    write(LOCALE_KEY, tag);
    applyPageLocale();
    render();
  }

  function tokenExpiry(token) {
    try {
      var payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload)).exp * 1000;
    } catch (e) {
      return 0;
    }
  }

  function saveSession() {
    if (directLine && directLine.token && directLine.conversationId) {
      write(SESSION_KEY, JSON.stringify({ token: directLine.token, conversationId: directLine.conversationId }));
    }
  }

  /** A token that cannot be renewed ends this conversation; start one new conversation, once. */
  function restart() {
    write(SESSION_KEY, null);
    if (read(RESTART_KEY)) return;
    write(RESTART_KEY, '1');
    window.location.reload();
  }

  function createStore() {
    return window.WebChat.createStore({}, function () {
      return function (next) {
        return function (action) {
          if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
            var activity = action.payload.activity;
            // The bot stamps the respondent's chosen language on what it says (SurveyBot).
            var chosen = activity.from && activity.from.role === 'bot' ? supported(activity.locale) : undefined;
            // Not inside the dispatch: re-rendering Web Chat from its own middleware would nest updates.
            if (chosen && chosen !== locale) setTimeout(setLocale, 0, chosen);
            saveSession();
          } else if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
            write(RESTART_KEY, null);
            saveSession();
          } else if (action.type === 'DIRECT_LINE/CONNECT_REJECTED') {
            restart();
          } else if (action.type === 'DIRECT_LINE/UPDATE_CONNECTION_STATUS') {
            // DirectLineJS ConnectionStatus: 3 ExpiredToken, 4 FailedToConnect.
            var status = action.payload.connectionStatus;
            if (status === 3 || status === 4) restart();
          }
          return next(action);
        };
      };
    });
  }

  function newConversation() {
    // The start link's survey and source ride in the token (src/channels/directline/tokens.ts).
    var asked = {};
    if (config.survey) asked.survey = config.survey;
    if (config.src) asked.src = config.src;
    var body = JSON.stringify(asked);
    var init = { method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' }, body: body };
    return fetch(config.directLine + '/tokens/generate', init).then(function (res) {
      if (!res.ok) throw new Error('tokens/generate answered ' + res.status);
      return res.json();
    });
  }

  function start() {
    var saved = null;
    try {
      saved = JSON.parse(read(SESSION_KEY) || 'null');
    } catch (e) {
      saved = null;
    }
    // A minute of margin: a token about to expire would fail on the first poll.
    var resume = saved && saved.token && saved.conversationId && tokenExpiry(saved.token) > Date.now() + 60000;
    var session = resume ? Promise.resolve(saved) : newConversation();
    session.then(function (conversation) {
      write(SESSION_KEY, JSON.stringify({ token: conversation.token, conversationId: conversation.conversationId }));
      directLine = window.WebChat.createDirectLine({
        domain: window.location.origin + config.directLine,
        token: conversation.token,
        // With a conversation id, DirectLineJS reconnects (GET …/conversations/:id) instead of
        // starting a new one; no watermark, so the conversation so far is shown again.
        conversationId: resume ? conversation.conversationId : undefined,
        // The server offers polling only (no streamUrl).
        webSocket: false,
        pollingInterval: 1000,
        // The first greeting's language, when the survey has it; without it the bot shows its menu.
        conversationStartProperties: hint ? { locale: hint } : undefined,
      });
      store = createStore();
      render();
      // DirectLineJS renews the token every 15 minutes; keep the stored copy current for a reload.
      setInterval(saveSession, 60000);
    });
  }

  applyPageLocale();
  start();
})();
