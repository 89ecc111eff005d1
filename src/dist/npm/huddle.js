#!/usr/bin/env node
// The `huddle` command of the npm package @huddle-dev/huddle: runs the launcher of the platform package
// for this machine (@huddle-dev/huddle-<os>-<arch>, an optional dependency that npm installs only where
// its os and cpu match), which carries huddle.jar, a Java runtime and the AOT caches. The launcher
// finds all of them next to itself; this file only finds the launcher (as @openai/codex does).
"use strict";

const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

const SUPPORTED = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"];
const platform = `${process.platform}-${process.arch}`;
const platformPackage = `@huddle-dev/huddle-${platform}`;

function fail(message) {
  process.stderr.write(`huddle: ${message}\n`);
  process.exit(1);
}

if (!SUPPORTED.includes(platform)) {
  fail(`there is no huddle package for ${platform} (only ${SUPPORTED.join(", ")}); ` +
    "a source checkout runs anywhere with a POSIX shell and a JDK 25: see the README");
}

let launcher;
try {
  launcher = path.join(path.dirname(require.resolve(`${platformPackage}/package.json`)), "huddle");
} catch {
  fail(`the package ${platformPackage} is missing: npm leaves optional dependencies out with ` +
    "--omit=optional or --no-optional. Reinstall: npm install -g @huddle-dev/huddle");
}
if (!fs.existsSync(launcher)) fail(`${launcher} is missing; reinstall: npm install -g @huddle-dev/huddle`);

const args = process.argv.slice(2);

// Node 22.15+ can replace itself by the launcher: signals, stdio and the exit code are then the launcher's.
if (typeof process.execve === "function") {
  process.execve(launcher, [launcher, ...args], process.env);
}

const child = spawn(launcher, args, { stdio: "inherit" });
child.on("error", (e) => fail(`cannot run ${launcher}: ${e.message}`));
// Ctrl-C reaches the launcher from the terminal itself; SIGTERM and SIGHUP sent to this process are passed on.
process.on("SIGINT", () => {});
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code === null ? 1 : code);
  }
});
