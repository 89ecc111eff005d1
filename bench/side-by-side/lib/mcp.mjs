// An MCP client over a server's stdio (newline-delimited JSON-RPC), as Claude Code speaks it, timed with hrtime.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

// A server process. `wrapped`: behind /bin/sh -c '"$0" "$@"; exit $?', so that the agent (the sh) is its own parent
// process, as every agent but A is; A's server is a direct child of this script (the script plays A's agent).
export class McpServer {
  constructor(cmd, args, { env, cwd, wrapped }) {
    this.t0 = now();
    const [file, argv] = wrapped ? ['/bin/sh', ['-c', '"$0" "$@"; exit $?', cmd, ...args]] : [cmd, args];
    this.proc = spawn(file, argv, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.wrapped = wrapped;
    this.nextId = 1;
    this.pending = new Map();
    this.stderr = '';
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, sig) => resolve({ code, sig })));
    this.proc.stdin.on('error', () => {});
    this.proc.stderr.on('data', (d) => { if (this.stderr.length < 20000) this.stderr += d; });
    let buf = '';
    this.proc.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        this.onLine(line, now());
      }
    });
    this.proc.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`server exited; stderr: ${this.stderr.slice(-2000)}`));
      this.pending.clear();
    });
  }

  onLine(line, at) {
    let msg;
    try { msg = JSON.parse(line); } catch { return; } // not ours to judge: only answers to our ids count
    if (msg.id === undefined || msg.method) return; // notifications and server requests: not awaited here
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`${p.method}: ${JSON.stringify(msg.error)}`));
    else p.resolve({ result: msg.result, at, sentAt: p.sentAt });
  }

  request(method, params = {}, timeoutMs = 120000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(id); reject(new Error(`${method}: no answer in ${timeoutMs} ms`)); }, timeoutMs);
      const done = (f) => (v) => { clearTimeout(timer); f(v); };
      this.pending.set(id, { method, resolve: done(resolve), reject: done(reject), sentAt: now() });
      this.proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  }

  notify(method, params = {}) {
    this.proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', method, params }) + '\n');
  }

  initialize() {
    return this.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: { roots: {} },
      clientInfo: { name: 'claude-code', version: '2.1.329' },
    });
  }

  async callTool(name, args = {}, timeoutMs) {
    const r = await this.request('tools/call', { name, arguments: args }, timeoutMs);
    const text = (r.result?.content ?? []).map((c) => c.text ?? '').join('\n');
    if (r.result?.isError) throw new Error(`${name}: ${text.slice(0, 500)}`);
    return { ...r, text };
  }

  // The server's own pid: the child of the sh wrapper, or the process itself.
  serverPid() {
    if (!this.wrapped) return this.proc.pid;
    if (this._pid) return this._pid;
    try {
      const kids = readFileSync(`/proc/${this.proc.pid}/task/${this.proc.pid}/children`, 'utf8').trim().split(/\s+/);
      if (kids[0]) this._pid = Number(kids[0]);
    } catch { /* gone */ }
    return this._pid;
  }

  // Closing stdin ends an MCP stdio server; a kill follows for one that does not go.
  async close(graceMs = 3000) {
    const pid = this.serverPid();
    this.proc.stdin.end();
    const t = setTimeout(() => { try { if (pid) process.kill(pid, 'SIGTERM'); this.proc.kill('SIGTERM'); } catch {} }, graceMs);
    const t2 = setTimeout(() => { try { if (pid) process.kill(pid, 'SIGKILL'); this.proc.kill('SIGKILL'); } catch {} }, graceMs + 3000);
    await this.exited;
    clearTimeout(t);
    clearTimeout(t2);
  }
}
