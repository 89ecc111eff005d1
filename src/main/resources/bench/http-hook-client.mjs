// huddle bench: a hook client shaped like Claude Code's `type: "http"` hooks (2.1.329), started by the bench
// (tools/bench/NodeHookClient). Claude Code POSTs a hook with axios over its "direct" http.Agent:
// new http.Agent({keepAlive: true, scheduling: "lifo", timeout: 5000}), Content-Type application/json, the event JSON
// as the body, an abort signal at the hook's timeout, the answer read as text. This does the same with node:http
// (no axios: its interceptors cost the client, not the hub) and times each POST from the request to the last byte.
//
// Protocol, one JSON object per line. In: {"url", "body", "headers"?, "fresh"?}; "fresh" drops the kept connection
// first (as the agent does after 5 s idle), so the POST opens a new one. Out: {"ms", "status", "handled_us", "body",
// "reused"} or {"error"}.
import http from "node:http";
import readline from "node:readline";

const newAgent = () => new http.Agent({ keepAlive: true, scheduling: "lifo", timeout: 5000 });
let agent = newAgent();

function post(url, body, headers, timeoutMs) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const data = Buffer.from(body, "utf8");
    const req = http.request(url, {
      method: "POST",
      agent,
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "Accept": "application/json, text/plain, */*",
        "Content-Type": "application/json",
        "User-Agent": "axios/1.13.2",
        "Content-Length": data.length,
        "Accept-Encoding": "gzip, compress, deflate, br",
        ...headers,
      },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        resolve({
          ms,
          status: res.statusCode,
          handled_us: Number(res.headers["x-huddle-handled-us"] ?? -1),
          reused: req.reusedSocket === true,
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(data);
  });
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let out;
  try {
    const cmd = JSON.parse(line);
    if (cmd.fresh) {
      agent.destroy();
      agent = newAgent();
    }
    out = await post(cmd.url, cmd.body, cmd.headers ?? {}, cmd.timeout_ms ?? 5000);
  } catch (e) {
    out = { error: String(e?.message ?? e) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
agent.destroy();
