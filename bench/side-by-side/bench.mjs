#!/usr/bin/env node
// Side by side: huddle against oxtail 0.32.1, measured the same way, in one process, interleaved (issue 18).
// See README.md here for how to run it and what each row means. Node 20, no dependencies.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpHooks, runCommand, startTrivialServer } from './lib/hooks.mjs';
import { now } from './lib/mcp.mjs';
import { cpuMs, load1, memory } from './lib/procfs.mjs';
import { report } from './lib/report.mjs';
import { Huddle, Oxtail } from './lib/systems.mjs';

// `bench.mjs --report <raw.json>`: print the tables of an earlier run again from its raw samples.
if (process.argv[2] === '--report') {
  const raw = JSON.parse(readFileSync(process.argv[3], 'utf8'));
  process.stdout.write(report(raw.meta, raw.samples, raw.checks));
  process.exit(0);
}

const work = process.env.OXB_WORK || path.join(os.homedir(), '.cache', 'huddle-oxbench');
const cfg = {
  rounds: Number(process.env.OXB_ROUNDS || 3),
  only: process.env.OXB_ONLY ? new Set(process.env.OXB_ONLY.split(',').map((s) => s.trim())) : null,
  huddle: path.resolve(process.env.OXB_HUDDLE || path.join(work, 'huddle')),
  oxtail: path.resolve(process.env.OXB_OXTAIL || path.join(work, 'oxtail')),
  javaHome: process.env.OXB_JAVA_HOME || process.env.JAVA_HOME || '',
  out: process.env.OXB_OUT || path.join(work, 'results', `oxbench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  keep: process.env.OXB_KEEP === '1',
};
const GROUPS = ['floors', 'cold', 'warm', 'send', 'hooks', 'ask', 'memory'];
const want = (g) => !cfg.only || cfg.only.has(g);
if (cfg.only) for (const g of cfg.only) if (!GROUPS.includes(g)) throw new Error(`OXB_ONLY: unknown group ${g} (${GROUPS.join(', ')})`);
if (!existsSync(path.join(cfg.huddle, 'huddle'))) throw new Error(`no huddle at ${cfg.huddle} (run prepare.sh, or set OXB_HUDDLE)`);
if (!existsSync(path.join(cfg.oxtail, 'dist', 'server.js'))) throw new Error(`no built oxtail at ${cfg.oxtail} (run prepare.sh, or set OXB_OXTAIL)`);

const samples = {}; // key → numbers; every key is `<system or floor>.<figure>`
const add = (key, v) => (samples[key] ??= []).push(v);
const checks = {}; // key → { ok, n, fail: [first failures] }
function check(key, ok, detail) {
  const c = (checks[key] ??= { ok: 0, n: 0, fail: [] });
  c.n++;
  if (ok) c.ok++;
  else if (c.fail.length < 5) c.fail.push(String(detail).slice(0, 300));
}
const loads = [];
const markLoad = (at) => loads.push({ at, t: new Date().toISOString(), load1: load1() });
const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const until = async (what, f, ms = 60000) => {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
// Every process gets an environment built from scratch (a stray NODE_EXTRA_CA_CERTS costs each node start 40 ms).
const cleanEnv = { PATH: process.env.PATH, LANG: process.env.LANG ?? 'C.UTF-8', HOME: os.homedir() };

// --- the scratch directory: a git project, a private tmux server, one home per system and phase -----------------
const root = mkdtempSync('/tmp/oxb-'); // short: huddle's sockets live in the home and must fit in 100 bytes
const scratch = { root, project: path.join(root, 'proj'), tmuxDir: path.join(root, 'tmux') };
mkdirSync(scratch.project);
mkdirSync(scratch.tmuxDir, { mode: 0o700 });
execFileSync('git', ['init', '-q'], { cwd: scratch.project });
writeFileSync(path.join(scratch.project, 'README.md'), 'side-by-side project\n');
execFileSync('git', ['-c', 'user.name=oxb', '-c', 'user.email=oxb@invalid', 'add', '.'], { cwd: scratch.project });
execFileSync('git', ['-c', 'user.name=oxb', '-c', 'user.email=oxb@invalid', 'commit', '-qm', 'init'], { cwd: scratch.project });
const tmuxEnv = { ...cleanEnv, TMUX_TMPDIR: scratch.tmuxDir };
execFileSync('tmux', ['new-session', '-d', '-s', 'oxb', '-c', scratch.project], { env: tmuxEnv });
let homeSeq = 0;
const freshHome = (label) => {
  const h = path.join(root, `h${homeSeq++}-${label}`);
  mkdirSync(path.join(h, '.claude'), { recursive: true });
  return h;
};

const huddle = new Huddle(cfg.huddle, cfg.javaHome, scratch);
const oxtail = new Oxtail(cfg.oxtail, scratch);
const hooks = new HttpHooks();
const liveHubHomes = new Set();

// --- floors -----------------------------------------------------------------------------------------------------
function launcherFlags() {
  const text = readFileSync(path.join(cfg.huddle, 'huddle'), 'utf8');
  const get = (n) => new RegExp(`^${n}="([^"]*)"`, 'm').exec(text)?.[1] ?? '';
  return `${get('HUDDLE_CLI_FLAGS')} ${get('HUDDLE_FRONT_FLAGS')}`.split(/\s+/).filter(Boolean);
}
const javaBin = cfg.javaHome ? path.join(cfg.javaHome, 'bin', 'java') : 'java';
function timeSpawn(cmd, args) {
  const t0 = now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'ignore', env: cleanEnv });
    p.on('error', reject);
    p.on('exit', (code) => resolve({ ms: now() - t0, code }));
  });
}
async function floors(round) {
  const flags = launcherFlags();
  const list = [
    ['floor.spawn_true', '/bin/true', []],
    ['floor.sh_exit', '/bin/sh', ['-c', 'exit 0']],
    ['floor.node', process.execPath, ['-e', '0']],
    ['floor.jvm', javaBin, [...flags, '-version']],
  ];
  for (let i = -3; i < 30; i++) {
    for (let k = 0; k < list.length; k++) {
      const [key, cmd, args] = list[(k + i + round + 3) % list.length];
      const r = await timeSpawn(cmd, args);
      if (i >= 0) { add(key, r.ms); check(key, r.code === 0, `${cmd} exited ${r.code}`); }
    }
  }
}

// --- a session: launch → initialize → first list_project_sessions, each timed from the launch -------------------
function listCorrect(sys, sessionId, text) {
  try {
    const j = JSON.parse(text);
    if (j.project_root !== scratch.project) return false;
    if (sys.name === 'huddle') return j.sessions.some((s) => s.session_id === sessionId && s.is_me);
    return j.sessions.some((s) => s.name === 'oxb' && s.path === scratch.project); // oxtail lists tmux sessions
  } catch { return false; }
}
async function session(sys, home, { wrapped = true, list = true, sessionId = randomUUID() } = {}) {
  const s = sys.launch(home, sessionId, { wrapped });
  s.sessionId = sessionId;
  const init = await s.initialize();
  s.initMs = init.at - s.t0;
  s.notify('notifications/initialized');
  if (list) {
    const l = await s.callTool('list_project_sessions', {}, 120000);
    s.listMs = l.at - s.t0;
    s.listText = l.text;
  }
  return s;
}

// --- cold: fresh home, existing home with nothing running, hub resident, hub started ahead -----------------------
async function coldHuddle() {
  const home = freshHome('huddle-cold');
  liveHubHomes.add(home);
  const measure = async (variant, hubBefore) => {
    const hub0 = hubBefore ? huddle.hubPid(home) : null;
    const hubCpu0 = hub0 ? cpuMs(hub0) : 0;
    const s = await session(huddle, home);
    const front = cpuMs(s.serverPid());
    const hub = huddle.hubPid(home);
    const hubCpu = hub ? cpuMs(hub) - (hub === hub0 ? hubCpu0 : 0) : NaN;
    add(`huddle.${variant}.init`, s.initMs);
    add(`huddle.${variant}.list`, s.listMs);
    add(`huddle.${variant}.cpu`, front + hubCpu);
    add(`huddle.${variant}.hub_cpu`, hubCpu);
    check(`huddle.${variant}.list`, listCorrect(huddle, s.sessionId, s.listText), s.listText);
    if (hubBefore) check(`huddle.${variant}.same_hub`, hub0 !== null && hub === hub0, `hub ${hub0} before, ${hub} after`);
    await s.close();
  };
  await measure('cold');
  await until('the hub to cache sqlite\'s native library', () => huddle.nativeCached(home));
  huddle.stopHub(home);
  await measure('existing'); // its hub stays: the next session finds it resident
  await measure('resident', true);
  huddle.stopHub(home);
  huddle.startHub(home);
  await measure('ahead', true);
  huddle.stopHub(home);
  liveHubHomes.delete(home);
}
async function coldOxtail() {
  const home = freshHome('oxtail-cold');
  for (const variant of ['cold', 'existing', 'third']) {
    const s = await session(oxtail, home);
    add(`oxtail.${variant}.init`, s.initMs);
    add(`oxtail.${variant}.list`, s.listMs);
    add(`oxtail.${variant}.cpu`, cpuMs(s.serverPid()));
    check(`oxtail.${variant}.list`, listCorrect(oxtail, s.sessionId, s.listText), s.listText);
    await s.close();
  }
}
async function cold(order) {
  for (let i = 0; i < 5; i++) {
    for (const sys of order) await (sys === huddle ? coldHuddle() : coldOxtail());
  }
}

// --- a home with agents A (this script's own session), B and S --------------------------------------------------
const payload = (sessionId, event, extra = {}) => JSON.stringify({
  session_id: sessionId,
  transcript_path: path.join(scratch.root, `${sessionId}.jsonl`),
  cwd: scratch.project,
  permission_mode: 'default',
  hook_event_name: event,
  ...extra,
});
async function setupHome(sys) {
  const home = freshHome(`${sys.name}-home`);
  const h = { sys, home, agents: [] };
  if (sys === huddle) {
    liveHubHomes.add(home);
    h.curlHook = huddle.setupHooks(home, 'curl');
    h.httpHook = huddle.setupHooks(home, 'http');
    h.preHooks = { 'huddle-http': h.httpHook, 'huddle-curl': h.curlHook };
    h.upsHook = JSON.parse(readFileSync(path.join(home, '.claude', 'settings.json'), 'utf8')).hooks.UserPromptSubmit[0].hooks[0];
  } else {
    const o = oxtail.setupHooks(home);
    h.preHooks = { 'oxtail-cmd': o.preToolUse };
    h.upsHook = o.userPromptSubmit;
  }
  h.A = await session(sys, home, { wrapped: false }); // a direct child: this script is A's agent process
  h.agents.push(h.A);
  return h;
}
const hookOpts = (h, s) => ({ env: h.sys.env(h.home, s.sessionId), cwd: scratch.project });
async function addPeers(h) {
  h.B = await session(h.sys, h.home);
  h.S = await session(h.sys, h.home);
  h.agents.push(h.B, h.S);
  // A hooked, busy session: oxtail then sends without trying a tmux wake. huddle's hook runs for A.
  for (const s of h.sys === oxtail ? [h.A, h.B, h.S] : [h.A]) {
    const r = await hooks.run(h.upsHook, payload(s.sessionId, 'UserPromptSubmit', { prompt: 'work on it' }), hookOpts(h, s));
    check(`${h.sys.name}.user_prompt_submit`, r.code === 0 || r.code === 200, `${r.code} ${r.out}`);
  }
}
async function closeHome(h) {
  for (const s of h.agents) await s.close();
  if (h.sys === huddle) { huddle.stopHub(h.home); liveHubHomes.delete(h.home); }
}

async function warm(homes) {
  for (let i = 0; i < 10; i++) {
    for (const h of homes) {
      const s = await session(h.sys, h.home, { list: false });
      add(`${h.sys.name}.warm.init`, s.initMs);
      add(`${h.sys.name}.warm.cpu`, cpuMs(s.serverPid()));
      await s.close();
    }
  }
}

async function sendMessages(homes) {
  for (let i = -10; i < 100; i++) {
    for (const h of homes) {
      const r = await h.A.callTool('send_message', { target: h.B.sessionId, body: `send ${i} from A` });
      if (i >= 0) { add(`${h.sys.name}.send`, r.at - r.sentAt); check(`${h.sys.name}.send`, /"ok":\s*true/.test(r.text), r.text); }
      if ((i + 11) % 10 === 0) await h.B.callTool('read_my_messages', {});
    }
  }
}

async function hookLoop(homes, huddleHome, trivial) {
  const hs = huddleHome.home;
  const variants = [];
  for (const h of homes) for (const [name, hook] of Object.entries(h.preHooks)) variants.push({ name, h, hook });
  variants.push({ name: 'floor.sh_curl' }, { name: 'floor.post' });
  const curlFloor = `curl -sf --max-time 5 --unix-socket '${huddle.healthSocket(hs)}' http://huddle/v1/health >/dev/null`;
  let seq = 0;
  for (let i = -5; i < 60; i++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + i + 5) % variants.length];
      let r;
      if (v.name === 'floor.sh_curl') {
        r = await runCommand(curlFloor, '', { env: cleanEnv, cwd: scratch.project });
        if (i >= 0) { add(v.name, r.ms); check(v.name, r.code === 0, `curl exited ${r.code}`); }
        continue;
      }
      if (v.name === 'floor.post') {
        r = await hooks.post(trivial.url, payload(randomUUID(), 'PreToolUse', { tool_name: 'Read' }));
        if (i >= 0) { add(v.name, r.ms); check(v.name, r.code === 200, `status ${r.code}`); }
        continue;
      }
      const token = `tok-${process.pid}-${seq++}`;
      await v.h.S.callTool('send_message', { target: v.h.A.sessionId, body: `hook message ${token}` });
      r = await hooks.run(v.hook, payload(v.h.A.sessionId, 'PreToolUse', {
        tool_name: 'Read', tool_input: { file_path: path.join(scratch.project, 'README.md') }, tool_use_id: `toolu_${token}`,
      }), hookOpts(v.h, v.h.A));
      if (i >= 0) add(`${v.name}.pre_tool_use`, r.ms);
      check(`${v.name}.pre_tool_use`, r.out.includes(token), `${r.code} ${r.out}`);
    }
  }
}

async function askPeer(homes) {
  for (let i = 0; i < 10; i++) {
    for (const h of homes) {
      const token = `ask-${process.pid}-${i}-${h.sys.name}`;
      const asked = h.A.callTool('ask_peer', { target: h.B.sessionId, body: `question ${token}`, timeout_ms: 30000 }, 60000);
      const t0 = now();
      let readMs = NaN;
      for (;;) { // the scripted peer B: polls every 5 ms, answers at once
        const r = await h.B.callTool('read_my_messages', {});
        const m = (JSON.parse(r.text).messages ?? []).find((x) => String(x.body).includes(token));
        if (m) {
          readMs = now() - t0;
          await h.B.callTool('reply_to_message', { message_id: m.id, body: `answer ${token}` });
          break;
        }
        if (now() - t0 > 30000) break;
        await pause(5);
      }
      const a = await asked;
      add(`${h.sys.name}.ask`, a.at - a.sentAt);
      add(`${h.sys.name}.ask_read`, readMs);
      check(`${h.sys.name}.ask`, a.text.includes(`answer ${token}`), a.text);
    }
  }
}

async function memoryOf(h) {
  for (let i = 0; i < 17; i++) h.agents.push(await session(h.sys, h.home));
  await pause(3000);
  const mems = h.agents.map((s) => memory(s.serverPid()));
  let rss = mems.reduce((a, m) => a + m.rssMb, 0);
  let pss = mems.reduce((a, m) => a + m.pssMb, 0);
  if (h.sys === huddle) {
    const hub = memory(huddle.hubPid(h.home));
    rss += hub.rssMb;
    pss += hub.pssMb;
    add('huddle.mem.hub_rss', hub.rssMb);
    add('huddle.mem.hub_pss', hub.pssMb);
  }
  add(`${h.sys.name}.mem.rss_sum`, rss);
  add(`${h.sys.name}.mem.pss_sum`, pss);
  const priv = mems.map((m) => m.privateMb).sort((a, b) => a - b);
  add(`${h.sys.name}.mem.private_median`, priv[Math.floor(priv.length / 2)]);
  check(`${h.sys.name}.mem.sessions`, mems.length === 20 && mems.every((m) => Number.isFinite(m.rssMb)), `${mems.length} servers`);
}

// --- the run ------------------------------------------------------------------------------------------------------
async function round(r) {
  const order = r % 2 === 0 ? [huddle, oxtail] : [oxtail, huddle];
  markLoad(`round ${r + 1} start`);
  log(`round ${r + 1}/${cfg.rounds}: ${order.map((s) => s.name).join(' first, then ')}`);
  if (want('floors')) { log('floors'); await floors(r); }
  if (want('cold')) { log('cold'); await cold(order); }
  if (!['warm', 'send', 'hooks', 'ask', 'memory'].some(want)) return;
  log('homes');
  const homes = [];
  for (const sys of order) homes.push(await setupHome(sys));
  try {
    if (want('warm')) { log('warm'); await warm(homes); }
    for (const h of homes) await addPeers(h);
    if (want('send')) { log('send_message'); await sendMessages(homes); }
    if (want('hooks')) {
      log('hooks');
      const trivial = await startTrivialServer();
      try { await hookLoop(homes, homes.find((h) => h.sys === huddle), trivial); } finally { trivial.stop(); }
    }
    if (want('ask')) { log('ask_peer'); await askPeer(homes); }
    if (want('memory')) { log('memory'); for (const h of homes) await memoryOf(h); }
  } finally {
    for (const h of homes) await closeHome(h);
  }
}

// The hubs are daemons (setsid) and tmux a server of its own: neither ends with this script, so both are stopped
// here, also on Ctrl-C. The servers end when their stdin closes with this process.
function cleanUp() {
  hooks.close();
  for (const home of liveHubHomes) { try { huddle.stopHub(home); } catch { /* reported by the failure */ } }
  liveHubHomes.clear();
  try { execFileSync('tmux', ['kill-server'], { env: tmuxEnv, stdio: 'ignore' }); } catch { /* already gone */ }
  if (!cfg.keep) rmSync(root, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { log(`${sig}: stopping`); cleanUp(); process.exit(130); });

const started = new Date();
markLoad('start');
let failure = null;
try {
  for (let r = 0; r < cfg.rounds; r++) await round(r);
} catch (e) {
  failure = e;
  log(`FAILED: ${e.stack}`);
} finally {
  cleanUp();
}
markLoad('end');
const meta = {
  started: started.toISOString(), ended: new Date().toISOString(), rounds: cfg.rounds, only: cfg.only && [...cfg.only],
  huddle: cfg.huddle, huddle_commit: readIf(path.join(cfg.huddle, 'COMMIT')), oxtail: cfg.oxtail,
  oxtail_version: JSON.parse(readFileSync(path.join(cfg.oxtail, 'package.json'), 'utf8')).version,
  node: process.version, cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, loads,
  failure: failure ? String(failure.stack) : null,
};
function readIf(f) { try { return readFileSync(f, 'utf8').trim(); } catch { return null; } }
mkdirSync(path.dirname(cfg.out), { recursive: true });
writeFileSync(cfg.out, JSON.stringify({ meta, checks, samples }, null, 1));
process.stdout.write(report(meta, samples, checks));
log(`raw samples: ${cfg.out}`);
process.exit(failure || Object.values(checks).some((c) => c.ok !== c.n) ? 1 : 0);
