/*
 * The analyst dashboard: log in with a token, look at the barrier analysis as charts (each with
 * its table), download exports and the codebook; admins also manage tokens and read the audit log.
 * Plain browser script (no build step), served as is beside Chart.js under a CSP without inline
 * code: the DOM is built with createElement and textContent only. Every text comes from the
 * server's locale files (the JSON in #dashboard-config); none is written here.
 *
 * The token goes to the server once, in an Authorization header; the server answers with an
 * HttpOnly cookie, so no script (this one included) can read it afterwards.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('dashboard-config').textContent);
  var LANG_KEY = 'analyst.lang';
  var PALETTE = [
    '#1f77b4',
    '#d62728',
    '#2ca02c',
    '#9467bd',
    '#ff7f0e',
    '#8c564b',
    '#e377c2',
    '#17becf',
    '#7f7f7f',
    '#bcbd22',
    '#393b79',
    '#ad494a',
    '#637939',
    '#7b4173',
    '#843c39',
    '#3182bd',
    '#31a354',
    '#756bb1',
  ];
  var state = { lng: initialLanguage(), survey: config.defaultSurvey, me: null, result: null, charts: [], auditNext: null };

  function $(id) {
    return document.getElementById(id);
  }
  function el(tag, className, textContent) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (textContent !== undefined) e.textContent = textContent;
    return e;
  }

  function initialLanguage() {
    var stored = null;
    try {
      stored = window.sessionStorage.getItem(LANG_KEY);
    } catch (e) {
      /* storage blocked: the page's own language */
    }
    var lng = stored || document.documentElement.lang;
    return config.texts[lng] ? lng : 'en';
  }

  // --- texts and labels ---

  function text(key) {
    var v = config.texts[state.lng];
    var parts = key.split('.');
    for (var i = 0; i < parts.length && v !== undefined; i++) v = v[parts[i]];
    return typeof v === 'string' ? v : key;
  }
  function tr(key, vars) {
    return text(key).replace(/\{\{(\w+)\}\}/g, function (m, name) {
      return vars && vars[name] !== undefined ? String(vars[name]) : m;
    });
  }
  /** The survey chosen in the picker: its structure and labels (config.surveys, one per registered survey). */
  function survey() {
    for (var i = 0; i < config.surveys.length; i++) if (config.surveys[i].id === state.survey) return config.surveys[i];
    return config.surveys[0];
  }
  function labels() {
    return survey().labels[state.lng];
  }
  function optionLabel(code) {
    return labels().options[code] || code;
  }
  function questionLabel(id) {
    return labels().questions[id] || id;
  }
  function endonym(tag) {
    for (var i = 0; i < config.languages.length; i++) if (config.languages[i].tag === tag) return config.languages[i].endonym;
    return tag;
  }
  /** A dimension's name: the dashboard's word for it, or the text of the question it comes from. */
  function dimensionLabel(d) {
    var own = text('dimensions.' + d);
    if (own !== 'dimensions.' + d) return own;
    var q = survey().dimensionQuestions[d];
    return q ? questionLabel(q) : d;
  }
  function groupLabel(code, by) {
    if (by === 'source') return code === 'direct' || code === 'other' ? text('sources.' + code) : code;
    if (code === 'baseline' || code === 'unknown') return text('groups.' + code);
    if (by === 'language') return endonym(code);
    if (by === 'channel') return config.channels.indexOf(code) >= 0 ? text('channels.' + code) : code;
    return optionLabel(code);
  }
  function shortLabel(s) {
    return s.length > 30 ? s.slice(0, 28) + '…' : s;
  }

  // --- numbers ---

  function numberFormat() {
    return new Intl.NumberFormat(state.lng === 'nb' ? 'nb-NO' : 'en-GB', { maximumFractionDigits: 0 });
  }
  function pct(p) {
    return tr('percent', { value: numberFormat().format(p * 100) });
  }
  function signed(x) {
    var v = numberFormat().format(Math.abs(x * 100));
    return (x < 0 && v !== '0' ? '−' : x > 0 && v !== '0' ? '+' : '') + v;
  }
  function pts(x) {
    return tr('points', { value: signed(x) });
  }
  function published(p) {
    return p && !p.suppressed && typeof p.p === 'number';
  }
  function shareText(p) {
    return pct(p.p) + ' (' + tr('interval', { low: pct(p.ci95[0]), high: pct(p.ci95[1]) }) + ')';
  }
  function gapText(g) {
    return pts(g.diff) + ' (' + tr('interval', { low: pts(g.ci95[0]), high: pts(g.ci95[1]) }) + ')';
  }
  function testText(t) {
    if (!t) return text('tests.none');
    var p = t.p < 0.001 ? 'p < 0.001' : 'p = ' + t.p.toFixed(3);
    return tr('help.test', {
      groups: t.groups,
      test: tr('tests.' + t.method, { statistic: t.statistic !== undefined ? t.statistic.toFixed(1) : '', df: t.df, replicates: t.replicates, p: p }),
    });
  }
  var SUPPRESSED = { suppressed: true };
  function cellOfShare(p) {
    return published(p) ? { text: shareText(p), num: true } : SUPPRESSED;
  }
  function cellOfCount(n) {
    return n === null || n === undefined ? SUPPRESSED : { text: numberFormat().format(n), num: true };
  }

  // --- the API ---

  function api(path, options) {
    options = options || {};
    var headers = { 'Accept-Language': state.lng };
    Object.keys(options.headers || {}).forEach(function (h) {
      headers[h] = options.headers[h];
    });
    return fetch(config.api + path, {
      method: options.method || 'GET',
      headers: headers,
      body: options.body,
      credentials: 'same-origin',
      cache: 'no-store',
    }).catch(function () {
      throw new Error(text('errors.network'));
    });
  }
  function messageOf(res) {
    return res.json().then(
      function (body) {
        return (body && body.message) || String(res.status);
      },
      function () {
        return String(res.status);
      },
    );
  }
  /** A request whose session has ended sends the analyst back to the login. */
  function checkSession(res) {
    if (res.status === 401 && state.me) {
      loggedOut();
      $('login-error').textContent = text('errors.session_ended');
      return false;
    }
    return true;
  }
  function setStatus(id, message, isError) {
    var e = $(id);
    e.textContent = message || '';
    e.className = 'status' + (isError ? ' error' : '');
  }

  // --- texts on the page ---

  function applyTexts() {
    document.documentElement.lang = state.lng;
    document.title = text('title');
    $('title').textContent = text('title');
    var nodes = document.querySelectorAll('[data-t]');
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = text(nodes[i].getAttribute('data-t'));
    var sw = $('switch-language');
    sw.textContent = text('switch_language');
    sw.setAttribute('aria-label', text('switch_language_label'));
    sw.setAttribute('lang', state.lng === 'nb' ? 'en' : 'nb');
    if (state.me) $('whoami').textContent = tr('signed_in', { name: state.me.name, role: text('roles.' + state.me.role) });
    fillSelect(
      $('survey'),
      config.surveys.map(function (s) {
        return [s.id, s.title[state.lng] || s.id];
      }),
    );
    $('survey').value = survey().id;
    fillSelect(
      $('by'),
      survey().dimensions.map(function (d) {
        return [d, dimensionLabel(d)];
      }),
    );
    fillSelect(
      $('area'),
      [['', text('filters.all_areas')]].concat(
        survey().areas.map(function (a) {
          return [a, optionLabel(a)];
        }),
      ),
    );
    // A survey whose outcome is one top-level question has no help areas to choose from.
    $('area-field').hidden = survey().areas.length === 0;
    var outcome = survey().outcome;
    $('help-intro').textContent =
      outcome && survey().topLevelOutcome ? tr('help.intro_question', { question: questionLabel(outcome.question) }) : text('help.intro');
    fillSelect(
      $('dl-language'),
      [['', text('downloads.any')]].concat(
        config.languages.map(function (l) {
          return [l.tag, l.endonym];
        }),
      ),
    );
    fillSelect(
      $('dl-channel'),
      [['', text('downloads.any')]].concat(
        config.channels.map(function (c) {
          return [c, text('channels.' + c)];
        }),
      ),
    );
    fillSelect($('dl-status'), [
      ['completed', text('downloads.status_completed')],
      ['all', text('downloads.status_all')],
    ]);
    fillSelect(
      $('dl-labels'),
      [['', text('downloads.labels_codes')]].concat(
        config.languages.map(function (l) {
          return [l.tag, l.endonym];
        }),
      ),
    );
    fillSelect($('new-role'), [
      ['analyst', text('roles.analyst')],
      ['reviewer', text('roles.reviewer')],
      ['admin', text('roles.admin')],
    ]);
  }
  function fillSelect(select, choices) {
    var value = select.value;
    while (select.firstChild) select.removeChild(select.firstChild);
    choices.forEach(function (c) {
      var o = el('option', '', c[1]);
      o.value = c[0];
      select.appendChild(o);
    });
    if (
      value &&
      choices.some(function (c) {
        return c[0] === value;
      })
    )
      select.value = value;
  }

  // --- session ---

  function loggedIn(me) {
    state.me = me;
    $('login').hidden = true;
    $('app').hidden = false;
    $('logout').hidden = false;
    $('whoami').hidden = false;
    $('admin').hidden = me.role !== 'admin';
    // Free text is read one answer at a time on a page of its own, by reviewers only.
    $('review-link').hidden = me.role !== 'reviewer' && me.role !== 'admin';
    applyTexts();
    loadAnalysis();
    if (me.role === 'admin') loadAdmin();
  }
  function loggedOut() {
    state.me = null;
    state.result = null;
    destroyCharts();
    ['help-charts', 'barrier-charts', 'funnel-charts', 'completion-charts', 'tokens', 'audit'].forEach(clear);
    $('new-token').hidden = true;
    $('new-token-value').textContent = '';
    $('app').hidden = true;
    $('logout').hidden = true;
    $('whoami').hidden = true;
    $('review-link').hidden = true;
    $('login').hidden = false;
    $('token').focus();
  }
  function clear(id) {
    var e = $(id);
    while (e.firstChild) e.removeChild(e.firstChild);
  }

  $('login-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = $('token');
    var token = input.value.trim();
    $('login-error').textContent = '';
    if (!token) {
      $('login-error').textContent = text('login.empty');
      return;
    }
    api('/session', { method: 'POST', headers: { Authorization: 'Bearer ' + token } })
      .then(function (res) {
        if (!res.ok)
          return messageOf(res).then(function (m) {
            $('login-error').textContent = m;
          });
        // The cookie holds it from here on; the page keeps no copy.
        input.value = '';
        return res.json().then(loggedIn);
      })
      .catch(function (err) {
        $('login-error').textContent = err.message;
      });
  });

  $('logout').addEventListener('click', function () {
    api('/session', { method: 'DELETE' }).then(loggedOut, loggedOut);
  });

  $('switch-language').addEventListener('click', function () {
    state.lng = state.lng === 'nb' ? 'en' : 'nb';
    try {
      window.sessionStorage.setItem(LANG_KEY, state.lng);
    } catch (e) {
      /* storage blocked: the switch lasts until reload */
    }
    applyTexts();
    if (state.result) render(state.result);
    if (state.me && state.me.role === 'admin') loadAdmin();
  });

  // --- the analysis ---

  $('filters').addEventListener('submit', function (event) {
    event.preventDefault();
    loadAnalysis();
  });

  // Another survey: its own groups, areas and labels, and its analysis at once.
  $('survey').addEventListener('change', function () {
    state.survey = $('survey').value;
    state.result = null;
    destroyCharts();
    ['help-charts', 'barrier-charts', 'funnel-charts', 'completion-charts'].forEach(clear);
    applyTexts();
    loadAnalysis();
  });

  function loadAnalysis() {
    var query = '?survey=' + encodeURIComponent(survey().id) + '&by=' + encodeURIComponent($('by').value || survey().dimensions[0]);
    if ($('area').value && survey().areas.length) query += '&area=' + encodeURIComponent($('area').value);
    setStatus('status', text('loading'));
    api('/analysis' + query)
      .then(function (res) {
        if (!checkSession(res)) return;
        if (!res.ok)
          return messageOf(res).then(function (m) {
            setStatus('status', m, true);
          });
        return res.json().then(function (result) {
          state.result = result;
          render(result);
        });
      })
      .catch(function (err) {
        setStatus('status', err.message, true);
      });
  }

  function destroyCharts() {
    state.charts.forEach(function (c) {
      c.destroy();
    });
    state.charts = [];
  }

  function render(result) {
    destroyCharts();
    ['help-charts', 'barrier-charts', 'funnel-charts', 'completion-charts'].forEach(clear);
    var s = result.suppression;
    setStatus(
      'status',
      tr('loaded', {
        responses: result.responses === null ? text('suppressed') : numberFormat().format(result.responses),
        by: dimensionLabel(result.by),
      }),
    );
    $('summary').textContent = tr('summary', { k: s.k, hidden: s.primary + s.secondary, cells: s.cells, primary: s.primary, secondary: s.secondary });
    result.helpReceived.forEach(function (area) {
      renderHelpArea($('help-charts'), area, result.by);
    });
    result.barriers.forEach(function (b) {
      renderBarrier($('barrier-charts'), b, result.by);
    });
    renderFunnel($('funnel-charts'), result.comprehension);
    renderConfirmations($('funnel-charts'), result.comprehension);
    (result.completion || []).forEach(function (c) {
      renderCompletion($('completion-charts'), c);
    });
  }

  /** A chart with its title, and the same numbers as a real table behind a disclosure toggle. */
  function figure(container, title, tableSpec, options) {
    options = options || {};
    var fig = el('figure', options.wide ? 'wide' : '');
    fig.appendChild(el('figcaption', '', title));
    var box = el('div', 'chart' + (options.tall ? ' tall' : ''));
    var canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', tr('chart_alt', { title: title }));
    box.appendChild(canvas);
    fig.appendChild(box);
    if (options.note) fig.appendChild(el('p', 'test', options.note));
    var details = el('details');
    details.appendChild(el('summary', '', text('show_table')));
    var wrap = el('div', 'table-wrap');
    wrap.appendChild(table(title, tableSpec.head, tableSpec.rows));
    details.appendChild(wrap);
    fig.appendChild(details);
    container.appendChild(fig);
    return canvas;
  }

  function table(caption, head, rows) {
    var t = el('table');
    t.appendChild(el('caption', '', caption));
    var thead = el('thead');
    var hr = el('tr');
    head.forEach(function (h) {
      var th = el('th', '', h);
      th.setAttribute('scope', 'col');
      hr.appendChild(th);
    });
    thead.appendChild(hr);
    t.appendChild(thead);
    var tbody = el('tbody');
    rows.forEach(function (r) {
      var tr_ = el('tr');
      var th = el('th', '', r.header);
      th.setAttribute('scope', 'row');
      tr_.appendChild(th);
      r.cells.forEach(function (c) {
        tr_.appendChild(cell(c));
      });
      tbody.appendChild(tr_);
    });
    t.appendChild(tbody);
    return t;
  }
  function cell(c) {
    if (c && c.suppressed) {
      var td = el('td', 'suppressed');
      var mark = el('span', '', text('suppressed_mark'));
      mark.setAttribute('aria-hidden', 'true');
      td.appendChild(mark);
      td.appendChild(document.createTextNode(' ' + text('suppressed')));
      return td;
    }
    if (c && c.node) {
      var holder = el('td');
      holder.appendChild(c.node);
      return holder;
    }
    if (c && typeof c === 'object') return el('td', c.num ? 'num' : '', c.text);
    return el('td', '', c === undefined || c === null ? '' : String(c));
  }
  function marked(label, isPublished) {
    return isPublished ? label : label + ' ' + text('suppressed_mark');
  }

  /** Interval bars ([low, high] floating bars) with the estimate as a tick across each. */
  function intervalChart(canvas, categories, shares, axis) {
    var chart = new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels: categories,
        datasets: [
          {
            type: 'bar',
            label: text('legend.interval'),
            data: shares.map(function (p) {
              return p ? [p.low * 100, p.high * 100] : null;
            }),
            backgroundColor: 'rgba(31, 119, 180, 0.35)',
            borderColor: '#1f5f8b',
            borderWidth: 1,
            barPercentage: 0.55,
            order: 2,
          },
          {
            type: 'line',
            label: text('legend.estimate'),
            data: shares.map(function (p) {
              return p ? p.value * 100 : null;
            }),
            showLine: false,
            pointStyle: 'line',
            pointRadius: 14,
            pointHoverRadius: 14,
            pointBorderWidth: 3,
            borderColor: '#0b2a45',
            backgroundColor: '#0b2a45',
            order: 1,
          },
        ],
      },
      options: chartOptions(axis),
    });
    state.charts.push(chart);
    return chart;
  }

  function chartOptions(axis) {
    var isGap = axis === 'points';
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: {
          ticks: {
            autoSkip: false,
            maxRotation: 60,
            callback: function (v) {
              return shortLabel(this.getLabelForValue(v));
            },
          },
        },
        y: isGap
          ? {
              suggestedMin: -30,
              suggestedMax: 30,
              title: { display: true, text: text('legend.gap') },
              grid: {
                color: function (c) {
                  return c.tick && c.tick.value === 0 ? '#1b1f23' : 'rgba(0,0,0,0.1)';
                },
              },
            }
          : {
              min: 0,
              max: 100,
              ticks: {
                callback: function (v) {
                  return tr('percent', { value: v });
                },
              },
            },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              var raw = ctx.raw;
              var f = function (v) {
                return isGap ? pts(v / 100) : pct(v / 100);
              };
              if (Array.isArray(raw)) return ctx.dataset.label + ': ' + tr('interval', { low: f(raw[0]), high: f(raw[1]) });
              return ctx.dataset.label + ': ' + f(raw);
            },
          },
        },
      },
    };
  }

  function asShare(p) {
    return published(p) ? { value: p.p, low: p.ci95[0], high: p.ci95[1] } : null;
  }
  function asGap(g) {
    return g && !g.suppressed ? { value: g.diff, low: g.ci95[0], high: g.ci95[1] } : null;
  }

  function renderHelpArea(container, area, by) {
    var success = survey().outcome.success[0];
    var outcomes = area.rows.length ? Object.keys(area.rows[0].outcomes) : [];
    // A top-level outcome's one table is named by its question, a block outcome's by the help area.
    var title = area.topLevel ? tr('help.chart_question', { question: questionLabel(area.area) }) : tr('help.chart', { area: optionLabel(area.area) });
    var canvas = figure(
      container,
      title,
      {
        head: [text('table.group'), text('table.n')].concat(outcomes.map(optionLabel)),
        rows: area.rows.map(function (r) {
          return {
            header: groupLabel(r.group, by),
            cells: [cellOfCount(r.n)].concat(
              outcomes.map(function (o) {
                return cellOfShare(r.outcomes[o]);
              }),
            ),
          };
        }),
      },
      { note: testText(area.test) },
    );
    intervalChart(
      canvas,
      area.rows.map(function (r) {
        return marked(groupLabel(r.group, by), published(r.outcomes[success]));
      }),
      area.rows.map(function (r) {
        return asShare(r.outcomes[success]);
      }),
      'percent',
    );
    var gapTitle = area.topLevel
      ? tr('help.gap_chart_question', { question: questionLabel(area.area) })
      : tr('help.gap_chart', { area: optionLabel(area.area) });
    var gapCanvas = figure(container, gapTitle, {
      head: [text('table.group'), text('table.gap')],
      rows: area.gaps.map(function (g) {
        return { header: groupLabel(g.group, by), cells: [g.gap.suppressed ? SUPPRESSED : { text: gapText(g.gap), num: true }] };
      }),
    });
    intervalChart(
      gapCanvas,
      area.gaps.map(function (g) {
        return marked(groupLabel(g.group, by), !g.gap.suppressed);
      }),
      area.gaps.map(function (g) {
        return asGap(g.gap);
      }),
      'points',
    );
  }

  function barrierSpec(question) {
    var barriers = survey().barriers;
    for (var i = 0; i < barriers.length; i++) if (barriers[i].question === question) return barriers[i];
    return {};
  }

  function renderBarrier(container, b, by) {
    var question = questionLabel(b.question);
    if (b.kind === 'multi') return renderMultiBarrier(container, b, question, by);
    var spec = barrierSpec(b.question);
    var share = function (r) {
      return b.kind === 'share' ? r.share : r.low;
    };
    var title =
      b.kind === 'share'
        ? tr('barriers.share_chart', { question: question, positive: (spec.positive || []).map(optionLabel).join(', ') })
        : tr('barriers.scale_chart', { question: question, low: (b.low || []).join('–') });
    var gaps = {};
    b.gaps.forEach(function (g) {
      gaps[g.group] = g.gap;
    });
    var head = [text('table.group'), text('table.n'), text('table.share')].concat(b.kind === 'scale' ? [text('table.mean')] : [], [text('table.gap')]);
    var canvas = figure(
      container,
      title,
      {
        head: head,
        rows: b.rows.map(function (r) {
          var cells = [cellOfCount(r.n), cellOfShare(share(r))];
          if (b.kind === 'scale')
            cells.push(
              r.mean.suppressed
                ? SUPPRESSED
                : {
                    text: r.mean.mean.toFixed(2) + ' (' + tr('interval', { low: r.mean.ci95[0].toFixed(2), high: r.mean.ci95[1].toFixed(2) }) + ')',
                    num: true,
                  },
            );
          var g = gaps[r.group];
          cells.push(r.group === 'baseline' || !g ? '' : g.suppressed ? SUPPRESSED : { text: gapText(g), num: true });
          return { header: groupLabel(r.group, by), cells: cells };
        }),
      },
      { note: testText(b.test) },
    );
    intervalChart(
      canvas,
      b.rows.map(function (r) {
        return marked(groupLabel(r.group, by), published(share(r)));
      }),
      b.rows.map(function (r) {
        return asShare(share(r));
      }),
      'percent',
    );
  }

  function renderMultiBarrier(container, b, question, by) {
    var title = tr('barriers.multi_chart', { question: question });
    var groups = [];
    b.options.forEach(function (o) {
      o.rows.forEach(function (r) {
        if (groups.indexOf(r.group) < 0) groups.push(r.group);
      });
    });
    var shareOf = function (o, g) {
      for (var i = 0; i < o.rows.length; i++) if (o.rows[i].group === g) return o.rows[i].share;
      return null;
    };
    var canvas = figure(
      container,
      title,
      {
        head: [text('table.group')].concat(
          b.options.map(function (o) {
            return optionLabel(o.option);
          }),
        ),
        rows: groups.map(function (g) {
          return {
            header: groupLabel(g, by),
            cells: b.options.map(function (o) {
              return cellOfShare(shareOf(o, g));
            }),
          };
        }),
      },
      { wide: true, tall: true },
    );
    var chart = new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels: b.options.map(function (o) {
          return optionLabel(o.option);
        }),
        datasets: groups.map(function (g, i) {
          var color = PALETTE[i % PALETTE.length];
          var any = b.options.some(function (o) {
            return published(shareOf(o, g));
          });
          return {
            label: marked(groupLabel(g, by), any),
            data: b.options.map(function (o) {
              var s = asShare(shareOf(o, g));
              return s ? [s.low * 100, s.high * 100] : null;
            }),
            backgroundColor: color,
            borderColor: color,
            borderWidth: 1,
          };
        }),
      },
      options: chartOptions('percent'),
    });
    state.charts.push(chart);
  }

  function renderFunnel(container, comprehension) {
    var steps = survey().milestones;
    var stepLabel = function (s) {
      return s === 'completed' ? text('funnel.completed') : questionLabel(s);
    };
    var title = text('funnel.chart');
    var canvas = figure(
      container,
      title,
      {
        head: [text('table.language'), text('table.started')].concat(steps.map(stepLabel)),
        rows: comprehension.map(function (c) {
          return {
            header: endonym(c.language),
            cells: [cellOfCount(c.started)].concat(
              c.funnel.map(function (f) {
                return f.reached ? { text: pct(f.reached.p), num: true } : SUPPRESSED;
              }),
            ),
          };
        }),
      },
      { wide: true, tall: true },
    );
    var shown = comprehension.filter(function (c) {
      return c.started !== null;
    });
    var chart = new window.Chart(canvas, {
      type: 'line',
      data: {
        labels: steps.map(stepLabel),
        datasets: shown.map(function (c, i) {
          var color = PALETTE[i % PALETTE.length];
          return {
            label: endonym(c.language),
            data: c.funnel.map(function (f) {
              return f.reached ? f.reached.p * 100 : null;
            }),
            // A hidden point is a gap, not a line drawn through it: it was withheld, not measured there.
            spanGaps: false,
            borderColor: color,
            backgroundColor: color,
            pointRadius: 3,
            tension: 0,
          };
        }),
      },
      options: chartOptions('percent'),
    });
    state.charts.push(chart);
  }

  /** How often typed answers had to be confirmed, and were refused, per language: where the bot reads typing wrong. */
  function renderConfirmations(container, comprehension) {
    var canvas = figure(container, text('funnel.confirm_chart'), {
      head: [text('table.language'), text('table.started'), text('funnel.confirmed'), text('funnel.declined')],
      rows: comprehension.map(function (c) {
        return { header: endonym(c.language), cells: [cellOfCount(c.started), cellOfShare(c.confirmed), cellOfShare(c.declined)] };
      }),
    });
    intervalChart(
      canvas,
      comprehension.map(function (c) {
        return marked(endonym(c.language), published(c.confirmed));
      }),
      comprehension.map(function (c) {
        return asShare(c.confirmed);
      }),
      'percent',
    );
  }

  /** Started and completed responses by source, channel or language, the completion rate with its Wilson interval. */
  function renderCompletion(container, c) {
    var rows = c.rows.concat([c.total]);
    var label = function (r) {
      return r === c.total ? text('completion.total') : groupLabel(r.group, c.by);
    };
    var canvas = figure(container, tr('completion.chart', { by: dimensionLabel(c.by) }), {
      head: [dimensionLabel(c.by), text('completion.started'), text('completion.completed'), text('completion.rate')],
      rows: rows.map(function (r) {
        return { header: label(r), cells: [cellOfCount(r.started), cellOfCount(r.completed), cellOfShare(r.rate)] };
      }),
    });
    intervalChart(
      canvas,
      rows.map(function (r) {
        return marked(label(r), published(r.rate));
      }),
      rows.map(function (r) {
        return asShare(r.rate);
      }),
      'percent',
    );
  }

  // --- downloads ---

  function filenameOf(disposition) {
    var m = /filename="([^"]+)"/.exec(disposition || '');
    return m ? m[1] : 'download';
  }

  function download(path, statusId) {
    var status = statusId || 'download-status';
    var buttons = document.querySelectorAll('button.download');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    setStatus(status, text('downloads.preparing'));
    var done = function () {
      for (var j = 0; j < buttons.length; j++) buttons[j].disabled = false;
    };
    api(path)
      .then(function (res) {
        if (!checkSession(res)) return;
        if (!res.ok)
          return messageOf(res).then(function (m) {
            setStatus(status, tr('downloads.failed', { message: m }), true);
          });
        var name = filenameOf(res.headers.get('Content-Disposition'));
        return res.blob().then(function (blob) {
          // A blob and a link, not a plain link: a refusal is then shown here as a message
          // instead of being saved as a file.
          var url = URL.createObjectURL(blob);
          var a = document.createElement('a');
          a.href = url;
          a.download = name;
          a.hidden = true;
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () {
            URL.revokeObjectURL(url);
          }, 60000);
          setStatus(status, tr('downloads.done', { file: name }));
        });
      })
      .catch(function (err) {
        setStatus(status, tr('downloads.failed', { message: err.message }), true);
      })
      .then(done, done);
  }

  function exportQuery(format) {
    var params = [
      ['survey', survey().id],
      ['format', format],
    ];
    [
      ['language', 'dl-language'],
      ['channel', 'dl-channel'],
      ['from', 'dl-from'],
      ['to', 'dl-to'],
      ['labels', 'dl-labels'],
    ].forEach(function (p) {
      var v = $(p[1]).value.trim();
      if (v) params.push([p[0], v]);
    });
    if ($('dl-status').value === 'all') params.push(['status', 'all']);
    return params
      .map(function (p) {
        return p[0] + '=' + encodeURIComponent(p[1]);
      })
      .join('&');
  }

  document.querySelectorAll('button[data-export]').forEach(function (b) {
    b.addEventListener('click', function () {
      download('/export?' + exportQuery(b.getAttribute('data-export')));
    });
  });
  document.querySelectorAll('button[data-codebook]').forEach(function (b) {
    b.addEventListener('click', function () {
      download('/codebook?survey=' + encodeURIComponent(survey().id) + '&format=' + b.getAttribute('data-codebook') + '&lang=' + state.lng);
    });
  });

  // Posters (admins): the languages and source as typed; the server checks them and says what is wrong.
  $('posters').addEventListener('submit', function (e) {
    e.preventDefault();
    var params = [['survey', survey().id]];
    var lang = $('poster-lang').value.replace(/\s+/g, '');
    var source = $('poster-source').value.trim();
    if (lang) params.push(['lang', lang]);
    if (source) params.push(['source', source]);
    download(
      '/posters?' +
        params
          .map(function (p) {
            return p[0] + '=' + encodeURIComponent(p[1]);
          })
          .join('&'),
      'poster-status',
    );
  });

  // --- admin: tokens and the audit log ---

  function hour(iso) {
    return new Intl.DateTimeFormat(state.lng === 'nb' ? 'nb-NO' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }

  function loadAdmin() {
    loadTokens();
    clear('audit');
    state.auditNext = null;
    loadAudit();
  }

  function loadTokens() {
    api('/tokens').then(function (res) {
      if (!checkSession(res) || !res.ok) return;
      return res.json().then(function (body) {
        clear('tokens');
        $('tokens').appendChild(
          table(
            text('admin.heading'),
            [text('admin.name'), text('admin.role'), text('admin.id'), text('admin.created'), text('admin.state'), ''],
            body.tokens.map(function (t) {
              var action = '';
              if (!t.revokedAt) {
                var button = el('button', 'secondary', text('admin.revoke'));
                button.type = 'button';
                button.setAttribute('aria-label', tr('admin.revoke_named', { name: t.name }));
                button.addEventListener('click', function () {
                  revoke(t.name);
                });
                action = { node: button };
              }
              return {
                header: t.name,
                cells: [
                  text('roles.' + t.role),
                  t.id,
                  hour(t.createdAt),
                  t.revokedAt ? tr('admin.revoked', { hour: hour(t.revokedAt) }) : text('admin.active'),
                  action,
                ],
              };
            }),
          ),
        );
      });
    });
  }

  function revoke(name) {
    if (!window.confirm(tr('admin.revoke_confirm', { name: name }))) return;
    api('/tokens/' + encodeURIComponent(name), { method: 'DELETE' }).then(function (res) {
      if (!checkSession(res)) return;
      if (!res.ok)
        return messageOf(res).then(function (m) {
          setStatus('admin-status', m, true);
        });
      setStatus('admin-status', '');
      loadAdmin();
    });
  }

  $('add-token').addEventListener('submit', function (event) {
    event.preventDefault();
    var name = $('new-name').value.trim();
    api('/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: name, role: $('new-role').value }) }).then(
      function (res) {
        if (!checkSession(res)) return;
        if (!res.ok)
          return messageOf(res).then(function (m) {
            setStatus('admin-status', m, true);
          });
        return res.json().then(function (body) {
          setStatus('admin-status', '');
          $('new-name').value = '';
          $('new-token-label').textContent = tr('admin.new_token', { name: body.name });
          $('new-token-value').textContent = body.token;
          $('new-token').hidden = false;
          loadAdmin();
        });
      },
    );
  });

  function loadAudit() {
    var query = '?limit=50' + (state.auditNext ? '&before=' + state.auditNext : '');
    api('/audit' + query).then(function (res) {
      if (!checkSession(res) || !res.ok) return;
      return res.json().then(function (body) {
        var rows = body.entries.map(function (e) {
          var params = Object.keys(e.filters)
            .map(function (k) {
              return k + '=' + e.filters[k];
            })
            .join(', ');
          return { header: hour(e.hour), cells: [e.token, e.action, params, text('admin.outcomes.' + e.outcome)] };
        });
        var existing = $('audit').querySelector('tbody');
        if (existing && state.auditNext) {
          var t = table('', [], rows);
          var more = t.querySelectorAll('tbody tr');
          for (var i = 0; i < more.length; i++) existing.appendChild(more[i]);
        } else {
          clear('audit');
          $('audit').appendChild(
            table(
              text('admin.audit_heading'),
              [text('admin.hour'), text('admin.token'), text('admin.action'), text('admin.parameters'), text('admin.outcome')],
              rows,
            ),
          );
        }
        state.auditNext = body.next;
        $('audit-older').hidden = !body.next;
      });
    });
  }
  $('audit-older').addEventListener('click', loadAudit);

  // --- start ---

  if (window.Chart) {
    window.Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    window.Chart.defaults.color = '#1b1f23';
  }
  applyTexts();
  api('/session').then(
    function (res) {
      if (res.ok) return res.json().then(loggedIn);
      loggedOut();
    },
    function () {
      loggedOut();
      $('login-error').textContent = text('errors.network');
    },
  );
})();
