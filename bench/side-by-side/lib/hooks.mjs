// Running a hook as Claude Code runs it: a command hook under /bin/sh -c with the event JSON on stdin (so its $PPID
// is this script, agent A's process), an http hook POSTed from this process through a kept-alive agent.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { now } from './mcp.mjs';

export function runCommand(command, payload, { env, cwd, timeoutMs = 10000 }) {
  const t0 = now();
  return new Promise((resolve) => {
    const p = spawn('/bin/sh', ['-c', command], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', () => {});
    p.stdin.on('error', () => {});
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => { clearTimeout(timer); resolve({ ms: now() - t0, code, out }); });
    p.stdin.end(payload);
  });
}

// Claude Code interpolates $VAR and ${VAR} in an http hook's headers, for the variables listed in allowedEnvVars.
function headers(hook, env) {
  const allowed = new Set(hook.allowedEnvVars ?? []);
  const h = {};
  for (const [k, v] of Object.entries(hook.headers ?? {})) {
    h[k] = String(v).replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, name) => (allowed.has(name) ? env[name] ?? '' : m));
  }
  return h;
}

export class HttpHooks {
  constructor() { this.agent = new http.Agent({ keepAlive: true, maxSockets: 4 }); }

  post(url, payload, { hook = {}, env = {}, timeoutMs = 10000 } = {}) {
    const t0 = now();
    return new Promise((resolve) => {
      const body = Buffer.from(payload);
      const req = http.request(url, {
        method: 'POST', agent: this.agent, timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers(hook, env) },
      }, (res) => {
        let out = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { out += d; });
        res.on('end', () => resolve({ ms: now() - t0, code: res.statusCode, out }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve({ ms: now() - t0, code: -1, out: String(e) }));
      req.end(body);
    });
  }

  run(hook, payload, opts) {
    return hook.type === 'http' ? this.post(hook.url, payload, { hook, env: opts.env }) : runCommand(hook.command, payload, opts);
  }

  close() { this.agent.destroy(); }
}

// The floor of an http hook: the same kept-alive POST, answered by a trivial Node server in another process.
export function startTrivialServer() {
  const code = "const s=require('http').createServer((q,r)=>{q.resume();q.on('end',()=>r.end('{}'))});"
    + "s.keepAliveTimeout=60000;s.listen(0,'127.0.0.1',()=>console.log(s.address().port))";
  const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    p.stdout.once('data', (d) => resolve({ url: `http://127.0.0.1:${String(d).trim()}/hook`, stop: () => p.kill() }));
    p.on('error', reject);
  });
}
