#!/usr/bin/env bash
# Installs the real agent clients that the integration tests drive, into .ci/node (gitignored).
# Currently: Claude Code, used by ClaudeCodeConnectIT (`claude mcp add` + `claude mcp list`).
# Fails loudly: CI must really run the real-client test, so a failed install is a failed build.
set -euo pipefail

CLAUDE_CODE_VERSION="${CLAUDE_CODE_VERSION:-2.1.329}"

ci_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix="$ci_dir/node"
claude="$prefix/node_modules/.bin/claude"

if [[ -x "$claude" ]] && "$claude" --version 2>/dev/null | grep -q "^${CLAUDE_CODE_VERSION} "; then
  echo "claude ${CLAUDE_CODE_VERSION} already installed in $prefix"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-clients: npm not found; install Node.js >= 20 with npm to run the real-client tests" >&2
  exit 1
fi

echo "installing @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION} into $prefix"
mkdir -p "$prefix"
if ! npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}"; then
  echo "install-clients: npm install of @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION} failed" >&2
  exit 1
fi

if ! version=$(DISABLE_AUTOUPDATER=1 "$claude" --version 2>&1); then
  echo "install-clients: $claude --version failed after install: $version" >&2
  exit 1
fi
case "$version" in
  "${CLAUDE_CODE_VERSION} "*) echo "installed: claude $version" ;;
  *) echo "install-clients: expected claude ${CLAUDE_CODE_VERSION}, got: $version" >&2; exit 1 ;;
esac
