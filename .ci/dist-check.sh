#!/usr/bin/env bash
# Proves that the npm-installed huddle works on a machine without any JDK:
#   1. builds the distribution (./huddle dist) and npm-installs its two packages into an empty prefix
#      (installed size at most 120 MB);
#   2. in a private mount namespace where /usr/lib/jvm is an empty tmpfs and no `java` is on PATH, runs
#      huddle version, huddle setup --dry-run, huddle demo, and a real Claude Code session: huddle setup
#      registers the installed launcher, `claude mcp add` the npm `huddle` command too, and `claude mcp list`
#      starts both and runs the MCP handshake with them;
#   3. checks the AOT caches: the shipped front cache is used (the JVM accepts it with -XX:AOTMode=on); the
#      prefix is then made read-only (as a global prefix owned by root is for a user) and the hub trains the
#      cache that is not shipped (cli) into $HUDDLE_HOME/aot instead;
#   4. runs the .tar.gz the same way (huddle version with its own runtime and cache).
# Needs root (unshare, mount), npm, tmux, and Claude Code in .ci/node (.ci/install-clients.sh). Fails loudly;
# on failure the scratch folder (named at the start) is kept for inspection.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
check_name=dist-check
. .ci/check-lib.sh

need_root
command -v npm >/dev/null || fail "needs npm"
claude=$root/.ci/node/node_modules/.bin/claude
[[ -x $claude ]] || fail "no Claude Code in .ci/node: run .ci/install-clients.sh first"

step "./huddle dist"
./huddle dist </dev/null || fail "./huddle dist failed"
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
platform=linux-x64
tarball=$root/target/dist/huddle-$version-$platform.tar.gz
platform_tgz=$root/target/dist/huddle-dev-huddle-$platform-$version.tgz
main_tgz=$root/target/dist/huddle-dev-huddle-$version.tgz
for f in "$tarball" "$platform_tgz" "$main_tgz"; do
  [[ -s $f ]] || fail "./huddle dist did not make $f"
done

work=$(mktemp -d /tmp/hdc.XXXXXX)
echo "scratch folder: $work"
prefix=$work/prefix

step "npm install -g into an empty prefix ($prefix)"
# --offline: the two tarballs are all there is; the other platforms' optional packages are skipped.
npm install -g --offline --prefix "$prefix" --no-audit --no-fund --loglevel=error "$platform_tgz" "$main_tgz" ||
  fail "npm install -g of the tarballs failed"
pkg=$prefix/lib/node_modules/@huddle-dev/huddle-$platform
[[ -x $prefix/bin/huddle && -x $pkg/huddle && -x $pkg/runtime/bin/java ]] || fail "the install lacks bin/huddle, the launcher or the runtime"
du -sh "$prefix"
size_mb=$(du -sm "$prefix" | cut -f1)
((size_mb <= 120)) || fail "installed size ${size_mb} MB is over the 120 MB budget"
echo "installed size: ${size_mb} MB (budget 120 MB)"

mkdir -p "$work/tar"
tar -xzf "$tarball" -C "$work/tar" || fail "cannot unpack $tarball"

# The checks that run with every JDK hidden. Variables come from the environment below.
cat >"$work/no-jdk.sh" <<'EOF'
set -euo pipefail
check_name="dist-check (no JDK)"
. "$ROOT/.ci/check-lib.sh"
hide_jdks "$PREFIX/bin"
export HOME=$WORK/home HUDDLE_HOME=$WORK/hh DISABLE_AUTOUPDATER=1 DISABLE_TELEMETRY=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1
mkdir -p "$HOME/project"
git -C "$HOME/project" init -q
cd "$HOME/project"
launcher=$PKG/huddle

# exec_line ARGS...: the java command line the launcher execs (traced with sh -x).
# The launcher's own exec of java. Without HUDDLE_EARLY_HUB=off, `huddle mcp` with no hub running would also start
# the hub beside the front, in a background subshell whose trace interleaves with this one's.
exec_line() { HUDDLE_EARLY_HUB=off sh -x "$launcher" "$@" </dev/null 2>&1 | grep '^+ exec ' | head -n 1; }

step "huddle version"
out=$(huddle version) || fail "huddle version failed: $out"
echo "$out"
[[ $out == "huddle "*" on Java 25"* ]] || fail "unexpected version line: $out"
[[ $(exec_line version) == "+ exec $PKG/runtime/bin/java "* ]] || fail "the launcher does not run the bundled runtime: $(exec_line version)"
[[ $(stat -c %Y "$PKG/huddle.jar") == 499162500 ]] || fail "the launcher did not give the jar the distribution's mtime back"

# Read-only from here on, before anything starts a hub (huddle mcp below does): a hub would train the cache
# that is not shipped next to the jar if it could write there.
step "from here on the install is read-only"
mount --bind "$PREFIX" "$PREFIX" && mount -o remount,bind,ro "$PREFIX" || fail "cannot make $PREFIX read-only"
trap 'huddle hub stop </dev/null >/dev/null 2>&1 || true' EXIT
! touch "$PKG/aot/probe" 2>/dev/null || fail "$PREFIX is still writable"

step "the shipped front AOT cache is used"
front=$(exec_line mcp)
echo "$front"
cache=$(printf '%s\n' "$front" | tr ' ' '\n' | sed -n 's/^-XX:AOTCache=//p')
[[ $cache == "$PKG/aot/front-"*.aot ]] || fail "the front does not get the shipped cache: $front"
# The same command with -XX:AOTMode=on: the JVM stops instead of running without a cache it cannot use.
set -f
cmd=${front#+ exec }
cmd=${cmd% mcp}
cmd=${cmd/ -jar / -XX:AOTMode=on -jar }
# shellcheck disable=SC2086
$cmd version >/dev/null </dev/null 2>"$WORK/aotmode.err" || fail "the JVM refuses the shipped front cache: $(cat "$WORK/aotmode.err")"
set +f
echo "the JVM maps $cache with -XX:AOTMode=on"

step "huddle setup --dry-run"
huddle setup --dry-run </dev/null || fail "huddle setup --dry-run failed"

step "huddle demo"
huddle demo </dev/null >"$WORK/demo.out" 2>&1 || { tail -n 40 "$WORK/demo.out"; fail "huddle demo failed"; }
tail -n 3 "$WORK/demo.out"
grep -q "^Demo passed" "$WORK/demo.out" || fail "the demo did not say it passed"

step "a real Claude Code session connects to the installed huddle mcp"
huddle setup --client claude </dev/null || fail "huddle setup --client claude failed"
"$CLAUDE" mcp add --scope user huddle-npm -- "$PREFIX/bin/huddle" mcp || fail "claude mcp add failed"
list=$("$CLAUDE" mcp list 2>&1) || fail "claude mcp list failed: $list"
echo "$list"
grep -q "^huddle: $PKG/huddle mcp - .*Connected" <<<"$list" || fail "Claude Code did not connect to the launcher huddle setup registered"
grep -q "^huddle-npm: $PREFIX/bin/huddle mcp - .*Connected" <<<"$list" || fail "Claude Code did not connect to the npm huddle command"

step "the hub (started by those sessions) trains the cache that is not shipped (cli) into \$HUDDLE_HOME/aot"
huddle ps || fail "huddle ps failed"
for _ in $(seq 1 240); do
  compgen -G "$HUDDLE_HOME/aot/cli-*.aot" >/dev/null && break
  sleep 1
done
ls -l "$HUDDLE_HOME/aot" || true
compgen -G "$HUDDLE_HOME/aot/cli-*.aot" >/dev/null || { cat "$HUDDLE_HOME/logs/aot-train.log" 2>/dev/null; fail "no cli cache in $HUDDLE_HOME/aot after 4 minutes"; }
! compgen -G "$HUDDLE_HOME/aot/front-*.aot" >/dev/null || fail "the hub trained a front cache although one is shipped"
[[ $(exec_line version) == *"-XX:AOTCache=$HUDDLE_HOME/aot/cli-"* ]] || fail "the launcher does not use the cli cache in \$HUDDLE_HOME/aot: $(exec_line version)"
[[ $(exec_line mcp) == *"-XX:AOTCache=$PKG/aot/front-"* ]] || fail "the front no longer uses the shipped cache"

step "the .tar.gz"
tar_launcher=$(echo "$WORK"/tar/huddle-*/huddle)
out=$("$tar_launcher" version) || fail "$tar_launcher version failed: $out"
echo "$out"
[[ $(launcher=$tar_launcher exec_line mcp) == *"-XX:AOTCache=${tar_launcher%/huddle}/aot/front-"* ]] || fail "the tarball's front does not get its cache"
EOF

step "without any JDK (unshare -m, tmpfs over /usr/lib/jvm)"
ROOT=$root WORK=$work PREFIX=$prefix PKG=$pkg CLAUDE=$claude unshare -m --propagation private bash "$work/no-jdk.sh" ||
  fail "the checks without a JDK failed (scratch folder kept: $work)"

rm -rf "$work"
step "passed: the npm-installed huddle ($size_mb MB) works with no JDK on the machine"
