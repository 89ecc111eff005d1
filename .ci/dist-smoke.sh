#!/bin/sh
# Smoke check of one platform's tarball, run by the release workflow on that platform's runner (POSIX sh: macOS
# has bash 3.2): unpacks it, checks that `huddle version` runs on the bundled runtime although the runner has
# JDKs, and that the JVM maps the shipped front AOT cache with -XX:AOTMode=on. Usage: .ci/dist-smoke.sh TARBALL
set -eu

fail() {
  printf 'dist-smoke: FAILED: %s\n' "$*" >&2
  exit 1
}
[ $# -eq 1 ] && [ -f "$1" ] || fail "usage: .ci/dist-smoke.sh target/dist/huddle-<version>-<os>-<arch>.tar.gz"
work=$(mktemp -d "${TMPDIR:-/tmp}/hds.XXXXXX")
tar -xzf "$1" -C "$work"
set -- "$work"/huddle-*/huddle
launcher=$1
dir=${launcher%/huddle}
[ -x "$launcher" ] || fail "no launcher in $work"
HUDDLE_HOME=$work/h
export HUDDLE_HOME
unset JAVA_HOME HUDDLE_JAVA_HOME
trap '"$launcher" hub stop >/dev/null 2>&1; rm -rf "$work"' EXIT

out=$("$launcher" version) || fail "huddle version failed: $out"
echo "$out"
case $out in "huddle "*" on Java 25"*) ;; *) fail "unexpected: $out" ;; esac

line=$(sh -x "$launcher" mcp </dev/null 2>&1 | grep '^+ exec ' | head -n 1)
echo "$line"
case $line in
  "+ exec $dir/runtime/bin/java "*"-XX:AOTCache=$dir/aot/front-"*) ;;
  *) fail "the front does not run on the bundled runtime with the shipped cache" ;;
esac
cmd=$(printf '%s\n' "${line#+ exec }" | sed -e 's/ mcp$//' -e 's/ -jar / -XX:AOTMode=on -jar /')
set -f
# shellcheck disable=SC2086 # a command line, split into words on purpose
$cmd version >/dev/null </dev/null || fail "the JVM refuses the shipped front cache"
echo "dist-smoke: $(basename "$dir") runs on its own runtime and maps its front AOT cache"
