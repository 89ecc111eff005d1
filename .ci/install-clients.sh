#!/usr/bin/env bash
# Installs the real programs that the integration tests drive from npm, into .ci/node (gitignored):
#   - Claude Code, used by the real-client tests (ClaudeCodeConnectIT, ...);
#   - Codex CLI, used by CodexCliIT, CodexTuiIT, CodexQueueIT and CrossMachineCodexWakeIT (its native binary comes from the optional package
#     @openai/codex-linux-x64, about 400 MB);
#   - Gemini CLI, used by the real-Gemini tests (GeminiCliIT, GeminiTuiIT); plain JavaScript, needs node >= 20;
#   - playwright-core, used by WebIT to drive the Debian chromium package (/usr/bin/chromium) headless.
#     playwright-core downloads no browser (`npx playwright install` cannot work here); .ci/run installs chromium.
# Idempotent (an installed, matching version is kept). Fails loudly: CI must really run these tests, so a failed
# install is a failed build.
set -euo pipefail

CLAUDE_CODE_VERSION="${CLAUDE_CODE_VERSION:-2.1.329}"
CODEX_VERSION="${CODEX_VERSION:-0.169.0}"
GEMINI_CLI_VERSION="${GEMINI_CLI_VERSION:-0.61.0}"
PLAYWRIGHT_CORE_VERSION="${PLAYWRIGHT_CORE_VERSION:-1.64.1}"

ci_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix="$ci_dir/node"
claude="$prefix/node_modules/.bin/claude"
gemini="$prefix/node_modules/.bin/gemini"
playwright_pkg="$prefix/node_modules/playwright-core/package.json"

die() { echo "install-clients: $*" >&2; exit 1; }

npm_install() {
  command -v npm >/dev/null 2>&1 || die "npm not found; install Node.js >= 20 with npm to run the real-client and web tests"
  echo "installing $1 into $prefix"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "$@" || die "npm install of $1 failed"
}

# --- Claude Code --------------------------------------------------------------------------------------------
if [[ -x "$claude" ]] && "$claude" --version 2>/dev/null | grep -q "^${CLAUDE_CODE_VERSION} "; then
  echo "claude ${CLAUDE_CODE_VERSION} already installed in $prefix"
else
  npm_install "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}"
  version=$(DISABLE_AUTOUPDATER=1 "$claude" --version 2>&1) || die "$claude --version failed after install: $version"
  case "$version" in
    "${CLAUDE_CODE_VERSION} "*) echo "installed: claude $version" ;;
    *) die "expected claude ${CLAUDE_CODE_VERSION}, got: $version" ;;
  esac
fi

# --- Codex CLI ----------------------------------------------------------------------------------------------
codex="$prefix/node_modules/.bin/codex"
if [[ -x "$codex" ]] && "$codex" --version 2>/dev/null | grep -qx "codex-cli ${CODEX_VERSION}"; then
  echo "codex ${CODEX_VERSION} already installed in $prefix"
else
  # --include=optional: the native binary is an optional dependency, which an npm configured to omit them would skip
  npm_install "@openai/codex@${CODEX_VERSION}" --include=optional
  version=$("$codex" --version 2>&1) || die "$codex --version failed after install (is @openai/codex-linux-x64 installed?): $version"
  [[ "$version" == "codex-cli ${CODEX_VERSION}" ]] || die "expected codex-cli ${CODEX_VERSION}, got: $version"
  echo "installed: $version"
fi

# --- Gemini CLI ---------------------------------------------------------------------------------------------
# Installed means its package.json says the version (node takes 5 s to start the CLI itself); after an install the
# CLI must also run. `gemini --version` creates ~/.gemini, and huddle setup takes an existing ~/.gemini for an
# installed Gemini CLI, so it runs with a scratch HOME.
gemini_pkg="$prefix/node_modules/@google/gemini-cli/package.json"
installed_gemini() {
  [[ -x "$gemini" && -f "$gemini_pkg" ]] && node -e 'process.stdout.write(require(process.argv[1]).version)' "$gemini_pkg" 2>/dev/null
}
if [[ "$(installed_gemini || true)" == "$GEMINI_CLI_VERSION" ]]; then
  echo "gemini ${GEMINI_CLI_VERSION} already installed in $prefix"
else
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  (( node_major >= 20 )) || die "Gemini CLI ${GEMINI_CLI_VERSION} needs node >= 20; found $(node --version 2>/dev/null || echo none)"
  npm_install "@google/gemini-cli@${GEMINI_CLI_VERSION}"
  got=$(installed_gemini || true)
  [[ "$got" == "$GEMINI_CLI_VERSION" ]] || die "expected @google/gemini-cli ${GEMINI_CLI_VERSION}, found '${got:-nothing}' in $prefix"
  scratch=$(mktemp -d)
  version=$(HOME="$scratch" "$gemini" --version 2>&1 | tail -n 1) || true
  rm -rf "$scratch"
  [[ "$version" == "$GEMINI_CLI_VERSION" ]] || die "$gemini --version after install printed: ${version:-nothing}"
  echo "installed: gemini $version"
fi

# --- playwright-core ----------------------------------------------------------------------------------------
installed_playwright() {
  [[ -f "$playwright_pkg" ]] && node -e 'process.stdout.write(require(process.argv[1]).version)' "$playwright_pkg" 2>/dev/null
}
if [[ "$(installed_playwright || true)" == "$PLAYWRIGHT_CORE_VERSION" ]]; then
  echo "playwright-core ${PLAYWRIGHT_CORE_VERSION} already installed in $prefix"
else
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing itself; said anyway, in case a later
  # version starts to.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_install "playwright-core@${PLAYWRIGHT_CORE_VERSION}"
  got=$(installed_playwright || true)
  [[ "$got" == "$PLAYWRIGHT_CORE_VERSION" ]] || die "expected playwright-core ${PLAYWRIGHT_CORE_VERSION}, found '${got:-nothing}' in $prefix"
  echo "installed: playwright-core $got"
fi
