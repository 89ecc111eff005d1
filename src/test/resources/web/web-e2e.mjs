// End-to-end test of `huddle web` in headless Chromium, driven by playwright-core (WebIT runs it).
// It talks to the Java test through lines of JSON: it prints {"event":...} lines on stdout and reads {"cmd":...}
// lines on stdin, so the Java side can change the hub (agents sending, deadlocks, stopping the web server) while
// this side watches the page.
//
// Environment:
//   HUDDLE_WEB_URL          the address `huddle web --json` printed (with the token)
//   HUDDLE_PLAYWRIGHT_CORE  the playwright-core package directory (.ci/node/node_modules/playwright-core)
//   HUDDLE_CHROMIUM         the browser (default /usr/bin/chromium, the Debian package)
//   HUDDLE_WEB_ARTIFACTS    where screenshots go
//   HUDDLE_WEB_AGENTS       JSON array of the agent names the page must show
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.HUDDLE_PLAYWRIGHT_CORE);

const url = process.env.HUDDLE_WEB_URL;
const artifacts = process.env.HUDDLE_WEB_ARTIFACTS;
const agents = JSON.parse(process.env.HUDDLE_WEB_AGENTS || '[]');
mkdirSync(artifacts, { recursive: true });

function emit(event, data) {
  process.stdout.write(JSON.stringify({ event, ...data }) + '\n');
}

const lines = createInterface({ input: process.stdin });
const queue = [];
let waiting = null;
lines.on('line', (l) => {
  if (!l.trim()) return;
  const cmd = JSON.parse(l);
  if (waiting) { const w = waiting; waiting = null; w(cmd); } else queue.push(cmd);
});
lines.on('close', () => { if (waiting) waiting({ cmd: 'close' }); });
function next() {
  return queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => { waiting = r; });
}

const browser = await chromium.launch({
  executablePath: process.env.HUDDLE_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // as the machine's notes say: no sandbox (root), no GPU, and none of Chromium's own network traffic
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const errors = [];
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  // a page must not load anything from elsewhere
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(new URL(url).origin) && !r.url().startsWith('data:')) foreign.push(r.url()); });

  await page.goto(url);
  await page.waitForSelector('#conn[data-state="live"]', { timeout: 15000 });
  for (const name of agents) {
    await page.waitForSelector(`tr[data-handle] >> text=${name}`, { timeout: 15000 });
  }
  emit('ready', { title: await page.title() });

  for (;;) {
    const cmd = await next();
    if (cmd.cmd === 'close') break;
    try {
      await handle(page, cmd);
    } catch (e) {
      emit('failed', { cmd: cmd.cmd, message: String(e && e.stack || e) });
    }
  }
  emit('done', { errors, foreign });
} finally {
  await browser.close();
}

async function handle(page, cmd) {
  switch (cmd.cmd) {
    case 'expect_deadlock': {
      const banner = await page.waitForSelector('#deadlock', { timeout: 15000 });
      const cycleRows = await page.locator('tr.cycle').count();
      emit('deadlock', { text: await banner.textContent(), cycle_rows: cycleRows });
      break;
    }
    case 'expect_text': {
      // text that must show literally (agent-provided markup is text, never HTML)
      await page.waitForFunction((t) => document.body.innerText.includes(t), cmd.text, { timeout: 15000 });
      emit('text', { text: cmd.text, pwned: await page.evaluate(() => window.__pwned === true),
        injected: await page.evaluate(() => document.querySelectorAll('#projects img, #feed img, #projects script, #feed script').length) });
      break;
    }
    case 'watch_feed': {
      // Records when each message first shows in the feed: on the DOM mutation, and at the next frame (painted).
      await page.evaluate(() => {
        window.__seen = {};
        for (const li of document.querySelectorAll('#feed li[data-id]')) window.__seen[li.dataset.id] = { old: true };
        const feed = document.getElementById('feed');
        new MutationObserver((records) => {
          const now = Date.now();
          for (const r of records) {
            for (const n of r.addedNodes) {
              if (!(n instanceof HTMLElement) || !n.dataset.id || window.__seen[n.dataset.id]) continue;
              const seen = { dom: now, at: n.dataset.at, body: n.querySelector('.body')?.textContent || '' };
              window.__seen[n.dataset.id] = seen;
              requestAnimationFrame(() => { seen.frame = Date.now(); });
            }
          }
        }).observe(feed, { childList: true });
      });
      emit('watching', {});
      break;
    }
    case 'await_probes': {
      const { prefix, count } = cmd;
      await page.waitForFunction(([p, n]) => Object.values(window.__seen).filter((s) => s.body && s.body.startsWith(p) && s.frame).length >= n,
        [prefix, count], { timeout: 30000, polling: 100 });
      const samples = await page.evaluate((p) => Object.values(window.__seen).filter((s) => s.body && s.body.startsWith(p)).map((s) => {
        const at = Date.parse(String(s.at).replace(/(\.\d{3})\d+/, '$1'));
        return { body: s.body, at: s.at, dom_ms: s.dom - at, frame_ms: s.frame - at };
      }), prefix);
      emit('probes', { samples });
      break;
    }
    case 'send': {
      // the form, as a person uses it: pick the agent, type, press Send
      const value = await page.evaluate((name) => {
        const o = [...document.querySelectorAll('#target option')].find((x) => x.textContent.startsWith(name + ' ('));
        return o ? o.value : null;
      }, cmd.target);
      if (!value) throw new Error('no option for ' + cmd.target + ' in the send form');
      await page.selectOption('#target', value);
      await page.fill('#body', cmd.body);
      await page.click('#send-button');
      const result = await page.waitForSelector('#send-result.ok, #send-result.bad', { timeout: 15000 });
      emit('sent', { ok: await result.evaluate((e) => e.classList.contains('ok')), result: await result.textContent(),
        body_left: await page.inputValue('#body') });
      // the message shows in the feed, marked as the operator's
      await page.waitForFunction((b) => [...document.querySelectorAll('#feed li.operator .body')].some((e) => e.textContent === b), cmd.body, { timeout: 15000 });
      emit('sent_visible', {});
      break;
    }
    case 'send_unknown': {
      // a target the hub does not know: the page shows the hub's structured error
      await page.evaluate(() => {
        const sel = document.getElementById('target');
        const first = sel.options[0];
        const o = document.createElement('option');
        o.value = 'no-such-agent-anywhere';
        o.dataset.project = first.dataset.project;
        o.textContent = 'nobody';
        sel.append(o);
        sel.value = o.value;
      });
      await page.fill('#body', 'to nobody');
      await page.click('#send-button');
      const result = await page.waitForSelector('#send-result.bad', { timeout: 15000 });
      emit('refused', { result: await result.textContent() });
      break;
    }
    case 'nudge': {
      await page.click(`tr[data-handle]:has-text("${cmd.target}") button.nudge`);
      const result = await page.waitForSelector('#send-result.ok, #send-result.bad', { timeout: 15000 });
      emit('nudged', { ok: await result.evaluate((e) => e.classList.contains('ok')), result: await result.textContent() });
      break;
    }
    case 'screenshot': {
      const path = join(artifacts, cmd.name || 'cockpit.png');
      const before = page.viewportSize();
      if (cmd.width) await page.setViewportSize({ width: cmd.width, height: before.height });
      await page.screenshot({ path, fullPage: true });
      // at a phone's width the page must not be wider than the screen (tables scroll inside their cards)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (cmd.width) await page.setViewportSize(before);
      emit('screenshot', { path, overflow });
      break;
    }
    case 'expect_unreachable': {
      await page.waitForSelector('#conn[data-state="unreachable"]', { timeout: 20000 });
      emit('unreachable', { text: await page.textContent('#conn') });
      break;
    }
    default:
      throw new Error('unknown command ' + cmd.cmd);
  }
}
