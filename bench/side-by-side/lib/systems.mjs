// The two systems under test, each as Claude Code would run it: how a session's server starts, its environment,
// its hooks as its own setup installs them in ~/.claude/settings.json, and (huddle) its hub.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { McpServer } from './mcp.mjs';
import { findHub } from './procfs.mjs';

function run(cmd, args, env, cwd, timeout = 120000) {
  const r = spawnSync(cmd, args, { env, cwd, encoding: 'utf8', timeout });
  if (r.error) throw r.error;
  return r;
}

function settingsHook(home, event) {
  const s = JSON.parse(readFileSync(path.join(home, '.claude', 'settings.json'), 'utf8'));
  const hooks = (s.hooks?.[event] ?? []).flatMap((e) => e.hooks ?? []);
  return hooks[0];
}

class System {
  constructor(name, scratch) {
    this.name = name;
    this.scratch = scratch;
  }

  baseEnv(home, sessionId) {
    return {
      PATH: process.env.PATH,
      LANG: process.env.LANG ?? 'C.UTF-8',
      HOME: home,
      TMUX_TMPDIR: this.scratch.tmuxDir,
      CLAUDECODE: '1',
      CLAUDE_CODE_SESSION_ID: sessionId,
      CLAUDE_PROJECT_DIR: this.scratch.project,
    };
  }

  launch(home, sessionId, { wrapped }) {
    const [cmd, args] = this.command();
    return new McpServer(cmd, args, { env: this.env(home, sessionId), cwd: this.scratch.project, wrapped });
  }
}

export class Huddle extends System {
  constructor(dir, javaHome, scratch) {
    super('huddle', scratch);
    this.dir = dir;
    this.javaHome = javaHome;
  }

  command() { return [path.join(this.dir, 'huddle'), ['mcp']]; }

  env(home, sessionId) {
    const e = { ...this.baseEnv(home, sessionId), HUDDLE_HOME: path.join(home, '.huddle') };
    if (this.javaHome) e.HUDDLE_JAVA_HOME = this.javaHome;
    return e;
  }

  // A CLI command as the user runs it, without an agent's variables.
  cli(home, args) {
    const env = this.env(home, 'none');
    delete env.CLAUDECODE;
    delete env.CLAUDE_CODE_SESSION_ID;
    delete env.CLAUDE_PROJECT_DIR;
    return run(path.join(this.dir, 'huddle'), args, env, home);
  }

  hubPid(home) { return findHub(path.join(home, '.huddle')); }

  stopHub(home) {
    const r = this.cli(home, ['hub', 'stop']);
    if (r.status !== 0 && r.status !== 3) throw new Error(`hub stop: ${r.status} ${r.stderr}`);
  }

  startHub(home) {
    const r = this.cli(home, ['hub', 'start']);
    if (r.status !== 0) throw new Error(`hub start: ${r.status} ${r.stderr}`);
  }

  // The hub has unpacked sqlite-jdbc's native library into its home (so the next start on this home finds it).
  nativeCached(home) {
    const dir = path.join(home, '.huddle', 'native');
    if (!existsSync(dir)) return false;
    return readdirSync(dir).some((d) => {
      try { return readdirSync(path.join(dir, d)).length > 0; } catch { return false; }
    });
  }

  healthSocket(home) { return path.join(home, '.huddle', 'http.sock'); }

  // `huddle setup --client claude --hook-transport T`; returns the installed PreToolUse hook.
  setupHooks(home, transport) {
    const r = this.cli(home, ['setup', '--client', 'claude', '--hook-transport', transport]);
    if (r.status !== 0) throw new Error(`huddle setup: ${r.status} ${r.stdout} ${r.stderr}`);
    const hook = settingsHook(home, 'PreToolUse');
    if (transport === 'http' ? hook?.type !== 'http' : hook?.type !== 'command') {
      throw new Error(`huddle setup --hook-transport ${transport} installed ${JSON.stringify(hook)}`);
    }
    return hook;
  }
}

export class Oxtail extends System {
  constructor(dir, scratch) {
    super('oxtail', scratch);
    this.dir = dir;
  }

  // The real path: oxtail starts only when argv[1] is its own module's path, so a symlinked dir would exit at once.
  command() { return [process.execPath, [realpathSync(path.join(this.dir, 'dist', 'server.js'))]]; }

  env(home, sessionId) { return this.baseEnv(home, sessionId); }

  // `oxtail install-hook`; returns the installed PreToolUse and UserPromptSubmit hooks.
  setupHooks(home) {
    const env = this.env(home, 'none');
    delete env.CLAUDECODE;
    delete env.CLAUDE_CODE_SESSION_ID;
    const r = run(process.execPath, [...this.command()[1], 'install-hook'], env, home);
    if (r.status !== 0) throw new Error(`oxtail install-hook: ${r.status} ${r.stdout} ${r.stderr}`);
    return { preToolUse: settingsHook(home, 'PreToolUse'), userPromptSubmit: settingsHook(home, 'UserPromptSubmit') };
  }
}
