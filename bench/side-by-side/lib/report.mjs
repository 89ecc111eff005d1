// The markdown tables, in the shape of docs/BENCHMARKS.md's side-by-side tables (ratio = oxtail ÷ huddle).
import { fmt, fmtCpu, median, p90, ratio } from './stats.mjs';

const ms = (xs) => (xs?.length ? `${fmt(median(xs))} ms (${fmt(p90(xs))})` : 'n/a');
const mb = (xs) => (xs?.length ? `${fmt(median(xs))} MB` : 'n/a');
const cpu = (xs, hub) => (xs?.length ? `${fmtCpu(median(xs))}${hub?.length ? ` (hub ${fmtCpu(median(hub)).replace(' ms', '')})` : ''}` : 'n/a');

export function report(meta, S, checks) {
  const m = (k) => median(S[k] ?? []);
  const n = (a, b) => {
    const x = S[a]?.length ?? 0;
    const y = S[b]?.length ?? 0;
    return x === y ? String(x) : `${x} / ${y}`;
  };
  const cmp = (a, b) => {
    const r = m(b) / m(a);
    const text = ratio(m(b), m(a));
    return Number.isFinite(r) && r < 1 ? `**${text}: behind**` : text;
  };
  const floorOf = (label, key, of) => (S[key]?.length ? `${label} ${fmt(m(key))} ms (${ratio(m(of), m(key), true)})` : '');
  const rows = [];
  const row = (label, h, o, val, floor = '', { noRatio = false } = {}) => {
    if (!S[h]?.length && !S[o]?.length) return;
    rows.push(`| ${label} | ${val(S[h], h)} | ${val(S[o], o)} | ${n(h, o)} | ${noRatio ? '' : cmp(h, o)} | ${floor} |`);
  };
  const cpuRow = (label, h, o, hub) => row(label, h, o, (xs, k) => cpu(xs, k === h && hub ? S[hub] : null));
  row('front launch → `initialize`, warm (hub and agent A running)', 'huddle.warm.init', 'oxtail.warm.init', ms,
    [floorOf('JVM', 'floor.jvm', 'huddle.warm.init'), floorOf('oxtail on node', 'floor.node', 'oxtail.warm.init')].filter(Boolean).join('; '));
  cpuRow('  CPU the server used by then', 'huddle.warm.cpu', 'oxtail.warm.cpu');
  row('front launch → `initialize`, cold (nothing running, fresh home)', 'huddle.cold.init', 'oxtail.cold.init', ms);
  row('**cold start → first `list_project_sessions` answered**', 'huddle.cold.list', 'oxtail.cold.list', ms);
  cpuRow('  CPU used by then (huddle: front + hub, of which hub)', 'huddle.cold.cpu', 'oxtail.cold.cpu', 'huddle.cold.hub_cpu');
  row('nothing running, existing home: launch → `initialize`', 'huddle.existing.init', 'oxtail.existing.init', ms);
  row('**the same → first `list_project_sessions`**', 'huddle.existing.list', 'oxtail.existing.list', ms);
  cpuRow('  CPU used by then', 'huddle.existing.cpu', 'oxtail.existing.cpu', 'huddle.existing.hub_cpu');
  row('hub resident (started by a first session that exited; oxtail: its third launch on that home): launch → `initialize`',
    'huddle.resident.init', 'oxtail.third.init', ms);
  row('**the same → first `list_project_sessions`**', 'huddle.resident.list', 'oxtail.third.list', ms);
  cpuRow('  CPU used by then (huddle: front + the hub\'s share since the launch)', 'huddle.resident.cpu', 'oxtail.third.cpu', 'huddle.resident.hub_cpu');
  row('hub started ahead with `huddle hub start` (oxtail: as above): launch → `initialize`', 'huddle.ahead.init', 'oxtail.third.init', ms);
  row('**the same → first `list_project_sessions`**', 'huddle.ahead.list', 'oxtail.third.list', ms);
  cpuRow('  CPU used by then (huddle: front + the hub\'s share since the launch)', 'huddle.ahead.cpu', 'oxtail.third.cpu', 'huddle.ahead.hub_cpu');
  row('`send_message` round trip', 'huddle.send', 'oxtail.send', ms);
  row('`PreToolUse` with one message waiting: huddle http hook vs oxtail\'s command hook', 'huddle-http.pre_tool_use',
    'oxtail-cmd.pre_tool_use', ms, floorOf('kept-alive POST to a trivial server', 'floor.post', 'huddle-http.pre_tool_use'));
  row('the same, huddle curl hook', 'huddle-curl.pre_tool_use', 'oxtail-cmd.pre_tool_use', ms,
    floorOf('`sh` + `curl`', 'floor.sh_curl', 'huddle-curl.pre_tool_use'));
  row('`ask_peer` round trip (the scripted peer polls every 5 ms)', 'huddle.ask', 'oxtail.ask', ms);
  row('  of which: ask sent → the peer has read it', 'huddle.ask_read', 'oxtail.ask_read', (xs) => (xs?.length ? `${fmt(median(xs))} ms` : 'n/a'),
    '', { noRatio: true });
  row('memory, 20 sessions: RSS sum (huddle: 20 fronts + hub)', 'huddle.mem.rss_sum', 'oxtail.mem.rss_sum', mb);
  row('**memory, 20 sessions: PSS sum**', 'huddle.mem.pss_sum', 'oxtail.mem.pss_sum', mb);
  row('  one server\'s private memory (median of the 20)', 'huddle.mem.private_median', 'oxtail.mem.private_median', mb,
    S['huddle.mem.hub_rss']?.length ? `hub alone: RSS ${fmt(m('huddle.mem.hub_rss'))}, PSS ${fmt(m('huddle.mem.hub_pss'))} MB` : '');

  const floors = [
    ['spawn `/bin/true` (from Node)', 'floor.spawn_true'],
    ['`sh -c \'exit 0\'`', 'floor.sh_exit'],
    ['`sh` + `curl --unix-socket` `GET /v1/health` (the hub\'s)', 'floor.sh_curl'],
    ['kept-alive HTTP POST of a hook payload to a trivial Node server in another process', 'floor.post'],
    ['`node -e 0`', 'floor.node'],
    ['trivial JVM: `java <front flags> -version`', 'floor.jvm'],
  ].filter(([, k]) => S[k]?.length).map(([label, k]) => `| ${label} | ${fmt(m(k))} ms | ${fmt(p90(S[k]))} | ${S[k].length} |`);

  const loads = meta.loads.map((l) => `${l.at} ${l.load1.toFixed(1)}`).join(', ');
  const failed = Object.entries(checks).filter(([, c]) => c.ok !== c.n);
  const out = [
    `huddle ${meta.huddle_commit ?? meta.huddle} vs oxtail ${meta.oxtail_version}; ${meta.rounds} round(s)` +
      `${meta.only ? ` (only ${meta.only.join(', ')})` : ''}, ${meta.started.slice(0, 16).replace('T', ' ')}-${meta.ended.slice(11, 16)} UTC;` +
      ` Node ${meta.node}, ${meta.cpus} cores (${meta.cpu_model})`,
    `1-minute load average: ${loads}`,
    '',
    '| Figure | huddle | oxtail | n (each) | oxtail ÷ huddle | floor, same run (huddle × floor) |',
    '|---|---:|---:|---:|---:|---|',
    ...rows,
    '',
    '| Floor (same run) | median | p90 | n |',
    '|---|---:|---:|---:|',
    ...floors,
    '',
    `Checks: ${failed.length === 0 ? 'all passed' : `${failed.length} FAILED`} — ` +
      Object.entries(checks).map(([k, c]) => `${k} ${c.ok}/${c.n}`).join(', '),
    ...failed.map(([k, c]) => `  ${k}: ${c.fail.join(' | ')}`),
    meta.failure ? `\nThe run FAILED: ${meta.failure.split('\n')[0]}` : '',
    '',
  ];
  return out.join('\n');
}
