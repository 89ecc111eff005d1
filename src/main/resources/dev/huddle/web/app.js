// huddle web cockpit: renders the hub's snapshots (server-sent events) and sends the human's messages and nudges.
// Everything an agent wrote is hostile text: it only ever reaches the page through textContent and attributes,
// never innerHTML, and through visible(), which shows control and bidi characters instead of letting them act.
// Ages are computed here from absolute times and tick locally; the hub is never polled.
'use strict';

(function () {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') || '';
  const all = params.get('all') === '1';
  const project = params.get('project') || '';
  const scopeQuery = all || !project ? 'all=1' : 'project=' + encodeURIComponent(project);

  const $ = (id) => document.getElementById(id);
  let snapshot = null;
  let lastEventAt = 0;
  let source = null;
  let unreachableTimer = null;
  let seenMessages = null; // ids in the feed already shown (new ones flash)

  // ---- DOM helpers (text only) ------------------------------------------------------------------------------
  // The page's sanitizer, the same rule as the terminal's (dev.huddle.protocol.Printable): control characters and
  // bidi controls (which reorder what follows them on screen) show as <U+202E> instead of acting. Newlines, tabs and
  // carriage returns stay (the page's CSS lays them out).
  const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
  function visible(v) {
    return String(v ?? '').replace(UNSAFE, (c) => '<U+' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') + '>');
  }

  // Texts, titles and labels are shown (so made visible); other attributes (values, data-) go back to the hub exact.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = visible(v);
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, k === 'title' || k === 'label' ? visible(v) : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(visible(c)));
    }
    return e;
  }

  function clip(s, n) {
    s = String(s ?? '');
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }

  // ---- ages ---------------------------------------------------------------------------------------------------
  function parseTime(iso) {
    if (!iso) return NaN;
    // Java writes up to nanoseconds; Date.parse wants at most milliseconds
    return Date.parse(String(iso).replace(/(\.\d{3})\d+/, '$1'));
  }

  function span(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return s + 's';
    const m = Math.floor(s / 60);
    if (m < 60) return m + 'm' + (m < 10 ? String(s % 60).padStart(2, '0') + 's' : '');
    const h = Math.floor(m / 60);
    if (h < 48) return h + 'h' + String(m % 60).padStart(2, '0') + 'm';
    return Math.floor(h / 24) + 'd';
  }

  // <time> whose text is "age" (since) or "in …" (until), refreshed every second by tick()
  function age(iso, prefix) {
    const t = el('time', { datetime: iso, 'data-since': iso, title: iso });
    t.dataset.prefix = prefix || '';
    setAge(t);
    return t;
  }

  function until(iso) {
    const t = el('time', { datetime: iso, 'data-until': iso, title: iso });
    setAge(t);
    return t;
  }

  function setAge(t) {
    const now = Date.now();
    if (t.dataset.since) {
      const ms = now - parseTime(t.dataset.since);
      t.textContent = isNaN(ms) ? '' : (t.dataset.prefix || '') + span(ms);
    } else if (t.dataset.until) {
      const ms = parseTime(t.dataset.until) - now;
      t.textContent = isNaN(ms) ? '' : ms <= 0 ? 'expired' : 'in ' + span(ms);
    }
  }

  function tick() {
    document.querySelectorAll('time[data-since], time[data-until]').forEach(setAge);
    if (lastEventAt) $('updated').textContent = snapshot ? 'generation ' + snapshot.generation + ', updated ' + span(Date.now() - lastEventAt) + ' ago' : '';
  }

  // ---- rendering ------------------------------------------------------------------------------------------------
  function render(s) {
    snapshot = s;
    const projects = s.projects || [];
    $('scope').textContent = s.project_root ? visible(s.project_root) : 'all projects';
    const health = $('health');
    health.textContent = s.healthy ? 'healthy' : 'problems: ' + visible((s.problems || []).join(', ').replace(/_/g, ' '));
    health.className = 'pill ' + (s.healthy ? 'ok' : 'bad');
    renderBanners(projects, s.max_obligation_age_ms);
    const main = $('projects');
    main.replaceChildren(...(projects.length ? projects.map(renderProject) : [el('p', { class: 'empty', text: 'No agents in this project yet.' })]));
    renderTargets(projects);
    renderFeed(projects);
    tick();
  }

  function renderBanners(projects, maxAgeMs) {
    const out = [];
    const cycles = projects.flatMap((p) => (p.cycles || []).map((c) => ({ p, c })));
    if (cycles.length) {
      out.push(el('div', { class: 'banner bad', id: 'deadlock', role: 'alert' },
        'Deadlock: ' + cycles.length + (cycles.length === 1 ? ' wait cycle' : ' wait cycles') + ' (these agents wait for each other; answer an ask or close the work to break it)',
        el('ul', null, ...cycles.map(({ c }) => el('li', { text: c.concat(c.length ? [c[0]] : []).join(' → ') })))));
    }
    const stranded = projects.flatMap((p) => p.stranded || []);
    if (stranded.length) {
      out.push(el('div', { class: 'banner warn', id: 'stranded' }, 'Mail stranded on offline agents',
        el('ul', null, ...stranded.map((x) => el('li', null, x.count + ' unread for ' + x.agent + ', the oldest ', age(x.oldest_at), ' old'
          , x.offline_since ? el('span', null, '; offline for ', age(x.offline_since)) : null)))));
    }
    const stale = projects.flatMap((p) => p.stale_obligations || []);
    if (stale.length) {
      out.push(el('div', { class: 'banner warn', id: 'stale' }, 'Obligations open longer than ' + span(maxAgeMs || 0),
        el('ul', null, ...stale.map((x) => el('li', null, x.from + ' waits for ' + x.to + ' to finish work for ', age(x.since), ' ',
          el('span', { class: 'mono dim', text: '(' + x.message_id + ')' }))))));
    }
    $('banners').replaceChildren(...out);
  }

  function renderProject(p) {
    const sec = el('section', { class: 'card project', 'data-project': p.project_root });
    sec.append(el('h2', { text: p.project_root }));
    const agents = p.agents || [];
    if (!agents.length) sec.append(el('p', { class: 'empty', text: 'No agents.' }));
    else sec.append(el('div', { class: 'table-wrap' }, agentTable(p, agents)));
    if ((p.waits || []).length) {
      sec.append(el('h3', { text: 'Waits' }), el('div', { class: 'table-wrap' }, waitTable(p.waits)));
    }
    if ((p.claims || []).length) {
      sec.append(el('h3', { text: 'Claims' }), el('div', { class: 'table-wrap' }, claimTable(p.claims)));
    }
    return sec;
  }

  function agentTable(p, agents) {
    const head = el('tr', null, ...['Agent', 'Client', 'Purpose', 'State', 'Unread', 'Asks', 'Owes', 'Waits for', 'Latest tool', 'Claims', '']
      .map((h) => el('th', { text: h })));
    const rows = agents.map((a) => {
      const state = a.activity && a.activity.state || 'unknown';
      const stateCell = el('td', null);
      if (a.online) {
        stateCell.append(el('span', { class: 'pill ' + (state === 'busy' ? 'info' : state === 'idle' ? 'ok' : 'off'), text: state }), ' ');
        if (a.activity_since) stateCell.append(age(a.activity_since));
      } else {
        stateCell.append(el('span', { class: 'pill off', text: 'offline' }), ' ');
        if (a.offline_since) stateCell.append(age(a.offline_since));
      }
      const who = el('td', { title: 'session ' + a.session_id },
        el('span', { class: 'agent-name', text: a.name || a.handle }), ' ',
        a.name ? el('span', { class: 'handle dim', text: a.handle }) : null,
        a.terminal ? el('div', { class: 'small dim', text: a.terminal.label + (a.terminal.verified || a.terminal.past ? '' : ' (unverified)') }) : null,
        a.rewake_armed ? el('div', { class: 'small dim', text: 'rewake armed' }) : null);
      const waits = el('td', { class: 'waitsfor' }, ...(a.waits_for || []).map((w) => el('span', { class: 'pill ' + (a.on_cycle ? 'bad' : 'warn'), text: w })));
      if (a.waited_on_by) waits.append(el('div', { class: 'small dim', text: 'waited on by ' + a.waited_on_by }));
      const tool = el('td', null);
      if (a.last_tool) {
        tool.append(el('span', { class: 'tool', title: String(a.last_tool.input ?? ''), text: a.last_tool.name + (a.last_tool.input ? ' ' + clip(a.last_tool.input, 120) : '') }));
        if (a.last_tool.at) tool.append(el('span', { class: 'small dim' }, age(a.last_tool.at), ' ago'));
      }
      const nudge = el('button', {
        type: 'button', class: 'nudge', title: 'Send ' + (a.name || a.handle) + ' a nudge: check huddle messages and open work',
        onclick: () => act('/api/nudge', { project: p.project_root, target: targetOf(a) }, 'nudged ' + (a.name || a.handle)),
      }, 'Nudge');
      return el('tr', { class: (a.on_cycle ? 'cycle ' : '') + (a.online ? '' : 'offline'), 'data-handle': a.handle },
        who,
        el('td', { class: 'small', text: a.client_type }),
        el('td', { class: 'purpose small', text: a.purpose || '' }),
        stateCell,
        el('td', { class: 'num' + (a.unread ? ' unread' : ''), text: a.unread }),
        el('td', { class: 'num', text: a.open_asks }),
        el('td', { class: 'num', text: a.open_obligations }),
        waits,
        tool,
        el('td', { class: 'num', text: a.claims }),
        el('td', null, nudge));
    });
    return el('table', { class: 'agents' }, el('thead', null, head), el('tbody', null, ...rows));
  }

  function waitTable(waits) {
    const head = el('tr', null, ...['Waiter', '', 'Waits for', 'Since', 'Asks', 'Work', ''].map((h) => el('th', { text: h })));
    const rows = waits.map((w) => el('tr', { class: w.on_cycle ? 'cycle' : '' },
      el('td', { text: w.from }), el('td', { text: '→' }), el('td', { text: w.to }),
      el('td', null, age(w.since)), el('td', { class: 'num', text: w.asks }), el('td', { class: 'num', text: w.obligations }),
      el('td', null, w.on_cycle ? el('span', { class: 'pill bad', text: 'deadlock' }) : null)));
    return el('table', { class: 'waits' }, el('thead', null, head), el('tbody', null, ...rows));
  }

  function claimTable(claims) {
    const head = el('tr', null, ...['Holder', 'Paths', 'Mode', 'Reason', 'Since', 'Expires'].map((h) => el('th', { text: h })));
    // an implicit claim: the file is being edited (recorded from the agent's edits), not claimed with claim_paths
    const rows = claims.map((c) => el('tr', { class: c.implicit ? 'implicit' : '' },
      el('td', { text: c.holder }), el('td', { class: 'mono', text: c.pattern }),
      el('td', null, c.implicit ? el('span', { class: 'pill info', text: 'editing' }) : c.mode),
      el('td', { class: 'small' }, c.reason || '', c.implicit && c.last_edit ? el('span', { class: 'dim' }, (c.reason ? '; ' : '') + 'last edit ', age(c.last_edit), ' ago') : null),
      el('td', null, age(c.since)), el('td', null, until(c.expires_at))));
    return el('table', { class: 'claims' }, el('thead', null, head), el('tbody', null, ...rows));
  }

  const KIND = { ask: '? ask', reply: '↩ reply', work: 'work', operator: 'from you', notice: 'notice from huddle', message: '' };

  function renderFeed(projects) {
    const rows = projects.flatMap((p) => p.feed || []).sort((a, b) => b.seq - a.seq).slice(0, 300);
    const first = seenMessages === null;
    const seen = new Set();
    const items = rows.map((m) => {
      seen.add(m.id);
      const kind = KIND[m.kind] ?? m.kind;
      const li = el('li', { class: (m.kind || '') + (!first && !seenMessages.has(m.id) ? ' fresh' : ''), 'data-id': m.id, 'data-at': m.at },
        el('div', { class: 'meta' },
          el('span', { class: 'who', text: m.from }), '→', el('span', { class: 'who', text: m.to }),
          kind ? el('span', { class: 'pill ' + (m.kind === 'operator' ? 'info' : m.kind === 'work' || m.kind === 'notice' ? 'warn' : 'off'), text: kind + (m.obligation ? ' ' + m.obligation : '') }) : null,
          el('span', null, age(m.at), ' ago'),
          el('span', { text: m.delivered ? 'read via ' + m.delivered : 'unread' })),
        el('div', { class: 'body', text: m.body }));
      return li;
    });
    seenMessages = seen;
    $('feed').replaceChildren(...(items.length ? items : [el('li', { class: 'empty', text: 'No messages yet.' })]));
  }

  function renderTargets(projects) {
    const select = $('target');
    const before = select.value;
    const groups = projects.filter((p) => (p.agents || []).length).map((p) => {
      const opts = p.agents.map((a) => el('option', { value: targetOf(a), 'data-project': p.project_root },
        (a.name ? a.name + ' (' + a.handle + ')' : a.handle) + ' · ' + a.client_type + (a.online ? '' : ' · offline')));
      return projects.length > 1 ? el('optgroup', { label: p.project_root }, ...opts) : opts;
    }).flat();
    select.replaceChildren(...groups);
    if (before && [...select.options].some((o) => o.value === before)) select.value = before;
    $('send-button').disabled = select.options.length === 0;
  }

  // what the hub resolves to exactly this agent: its session id, or (not bound to a session yet) its handle, a unique id prefix
  function targetOf(a) {
    return a.session_id || a.handle;
  }

  // ---- actions --------------------------------------------------------------------------------------------------
  async function act(path, payload, what) {
    const result = $('send-result');
    result.className = 'result';
    result.textContent = 'sending…';
    try {
      const r = await fetch(path, {
        method: 'POST', cache: 'no-store', credentials: 'omit',
        headers: { 'Content-Type': 'application/json', 'X-Huddle-Token': token },
        body: JSON.stringify(payload),
      });
      let reply = null;
      try { reply = await r.json(); } catch (e) { /* not JSON */ }
      if (r.ok && reply && reply.ok) {
        const sent = (reply.result && reply.result.messages) || [];
        const m = sent[0] || {};
        result.className = 'result ok';
        result.textContent = visible(what) + (m.message_id ? ' (message ' + m.message_id + (m.target_online === false ? ', offline: queued until it returns' : '') + ')' : '');
        return true;
      }
      result.className = 'result bad';
      result.textContent = 'refused: ' + visible(reply ? (reply.error || 'error') + ': ' + (reply.message || '') : 'HTTP ' + r.status);
    } catch (e) {
      result.className = 'result bad';
      result.textContent = 'hub unreachable: ' + e.message;
    }
    return false;
  }

  async function submit(ev) {
    ev.preventDefault();
    const select = $('target');
    const opt = select.selectedOptions[0];
    const body = $('body').value;
    if (!opt || !body.trim()) return;
    const button = $('send-button');
    button.disabled = true;
    try {
      if (await act('/api/send', { project: opt.dataset.project, target: opt.value, body }, 'sent to ' + opt.textContent.split(' · ')[0])) {
        $('body').value = '';
      }
    } finally {
      button.disabled = select.options.length === 0;
    }
  }

  // ---- the stream -----------------------------------------------------------------------------------------------
  function setConn(state, text) {
    const c = $('conn');
    c.dataset.state = state;
    c.textContent = text;
    c.className = 'pill conn ' + ({ live: 'ok', connecting: 'warn', reconnecting: 'warn', unreachable: 'bad' }[state] || '');
  }

  // Since when the stream has been failing (0: it is fine). EventSource retries by itself; after a few seconds of
  // failures the page says the hub is unreachable, and keeps saying so until a stream opens again.
  let failingSince = 0;

  function failing() {
    if (!failingSince) failingSince = Date.now();
    const long = Date.now() - failingSince >= 3000;
    if (long) setConn('unreachable', 'hub unreachable (retrying)');
    else setConn('reconnecting', 'reconnecting…');
    if (!long && !unreachableTimer) {
      unreachableTimer = setTimeout(() => {
        unreachableTimer = null;
        if (failingSince) failing();
      }, 3000 - (Date.now() - failingSince));
    }
  }

  function connect() {
    if (source) source.close();
    source = new EventSource('/events?token=' + encodeURIComponent(token) + '&' + scopeQuery);
    source.addEventListener('open', () => {
      failingSince = 0;
      setConn('live', 'live');
    });
    source.addEventListener('snapshot', (ev) => {
      failingSince = 0;
      lastEventAt = Date.now();
      setConn('live', 'live');
      let s;
      try { s = JSON.parse(ev.data); } catch (e) { return; }
      render(s);
    });
    source.addEventListener('error', () => {
      failing();
      if (source.readyState === EventSource.CLOSED) {
        // refused (the web cockpit restarted with a new token, or stopped): EventSource gave up, so try again later
        setConn('unreachable', 'hub unreachable (the web cockpit stopped or restarted: run huddle web again)');
        setTimeout(connect, 5000);
      }
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    if (!token) {
      setConn('unreachable', 'no token in the address: open the link that huddle web prints');
      return;
    }
    $('send-form').addEventListener('submit', submit);
    $('body').addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) $('send-form').requestSubmit();
    });
    setInterval(tick, 1000);
    connect();
  });
})();
