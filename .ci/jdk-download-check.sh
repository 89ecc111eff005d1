#!/usr/bin/env bash
# Tests the launcher's offer to download a JDK (a source checkout on a machine without JDK 25) against a local
# HTTP server playing Adoptium: it serves an archive made from this machine's JDK 25 and an API answer naming it
# and its SHA-256 (HUDDLE_JDK_API points the launcher at it; CI has no internet). With every JDK hidden
# (unshare -m, a tmpfs over /usr/lib/jvm, no java on PATH), ./huddle version:
#   - HUDDLE_JDK_DOWNLOAD=never: stops, says how to point at a JDK, downloads nothing;
#   - no terminal, no variable: stops without asking and says how to allow the download;
#   - on a terminal, answer n: stops, downloads nothing;
#   - an API answer with a wrong SHA-256: refuses the archive and keeps nothing of it;
#   - HUDDLE_JDK_DOWNLOAD=always: downloads, checks, unpacks into $HUDDLE_HOME/jdk/<release> and runs on it;
#     the next run uses it without asking or downloading;
#   - on a terminal, answer y (in a fresh HUDDLE_HOME): downloads too.
# Needs root (unshare, mount), curl, script(1) and a JDK 25 under /usr/lib/jvm. Fails loudly.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
check_name=jdk-download-check
. .ci/check-lib.sh

need_root
for tool in curl script gzip sha256sum; do
  command -v "$tool" >/dev/null || fail "needs $tool"
done
jdk=
for h in /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/*; do
  if [[ -x $h/bin/jwebserver ]] && grep -q '^JAVA_VERSION="25' "$h/release" 2>/dev/null; then jdk=$h; break; fi
done
[[ -n $jdk ]] || fail "no JDK 25 under /usr/lib/jvm to make the archive from"
release_name=jdk-$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$jdk/release")
release_name=${release_name%-LTS}

work=$(mktemp -d /tmp/hjd.XXXXXX)
echo "scratch folder: $work"
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null || true
}
trap cleanup EXIT

step "the jar is built (./huddle build), so that the checks below time only the JDK"
[[ -f target/huddle.jar ]] && [[ -z $(find src/main pom.xml -newer target/huddle.jar | head -n 1) ]] || ./huddle build </dev/null ||
  fail "./huddle build failed"

step "an archive of $jdk named like Adoptium's ($release_name)"
mkdir -p "$work/pack" "$work/srv/v3/assets/latest/25" "$work/srv/bad/v3/assets/latest/25"
ln -s "$jdk" "$work/pack/$release_name"
archive=OpenJDK25U-jdk_x64_linux_hotspot_test.tar.gz
tar -chf - -C "$work/pack" "$release_name" | gzip -1 >"$work/srv/$archive"
sha=$(sha256sum "$work/srv/$archive" | cut -d' ' -f1)
ls -l "$work/srv/$archive"

step "a local server playing api.adoptium.net (jwebserver)"
"$jdk/bin/jwebserver" -b 127.0.0.1 -p 0 -d "$work/srv" >"$work/server.log" 2>&1 &
server=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/.* port \([0-9][0-9]*\)$/\1/p' "$work/server.log")
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || fail "jwebserver did not start: $(cat "$work/server.log")"
api=http://127.0.0.1:$port
# answer SHA: Adoptium's answer for one JDK; an installer object comes first, as on macOS, and must be skipped.
answer() {
  cat <<EOF
[
    {
        "binary": {
            "architecture": "x64",
            "image_type": "jdk",
            "installer": {
                "checksum": "0000000000000000000000000000000000000000000000000000000000000000",
                "link": "$api/not-this.pkg",
                "name": "not-this.pkg",
                "size": 1
            },
            "jvm_impl": "hotspot",
            "os": "linux",
            "package": {
                "checksum": "$1",
                "checksum_link": "$api/$archive.sha256.txt",
                "download_count": 7,
                "link": "$api/$archive",
                "metadata_link": "$api/$archive.json",
                "name": "$archive",
                "signature_link": "$api/$archive.sig",
                "size": $(stat -c %s "$work/srv/$archive")
            },
            "project": "jdk"
        },
        "release_link": "$api/release",
        "release_name": "$release_name",
        "vendor": "eclipse"
    }
]
EOF
}
answer "$sha" >"$work/srv/v3/assets/latest/25/hotspot"
answer "$(printf '%064d' 1)" >"$work/srv/bad/v3/assets/latest/25/hotspot"
curl -fsS "$api/v3/assets/latest/25/hotspot?architecture=x64&image_type=jdk&os=linux&vendor=eclipse" >/dev/null ||
  fail "the local server does not answer"

cat >"$work/no-jdk.sh" <<'EOF'
set -uo pipefail
check_name="jdk-download-check (no JDK)"
. "$ROOT/.ci/check-lib.sh"
hide_jdks
export HOME=$WORK/home
mkdir -p "$HOME"
huddle=$ROOT/huddle

# run NAME ENV...: runs ./huddle version with no stdin and the given environment; output in $WORK/NAME.out.
run() {
  local name=$1
  shift
  env "$@" "$huddle" version </dev/null >"$WORK/$name.out" 2>&1
  rc=$?
  sed 's/^/    /' "$WORK/$name.out"
}
# on_terminal NAME ANSWER ENV...: the same on a terminal (script(1)), typing ANSWER.
on_terminal() {
  local name=$1 answer=$2
  shift 2
  printf '%s\n' "$answer" | env "$@" script -qec "$huddle version" /dev/null >"$WORK/$name.out" 2>&1
  rc=$?
  sed 's/^/    /' "$WORK/$name.out"
}
# refused NAME TEXT: the run NAME stopped (exit 1), said TEXT, and left no JDK behind.
refused() {
  ((rc == 1)) || fail "$1: exit code $rc, expected 1"
  grep -q -- "$2" "$WORK/$1.out" || fail "$1: it does not say '$2'"
  [[ -z $(ls -A "$WORK/h1/jdk" 2>/dev/null | grep -v -x -e .lock) ]] || fail "$1 left something in $WORK/h1/jdk: $(ls -A "$WORK/h1/jdk")"
}
# installed NAME HOME: the run NAME exited 0 on Java 25, with the JDK in HOME/jdk/$RELEASE.
installed() {
  ((rc == 0)) || fail "$1: exit code $rc, expected 0"
  grep -q "on Java 25" "$WORK/$1.out" || fail "$1: huddle version did not run on Java 25"
  [[ -x $2/jdk/$RELEASE/bin/java ]] || fail "$1: no JDK in $2/jdk/$RELEASE"
}

step "HUDDLE_JDK_DOWNLOAD=never"
run never HUDDLE_HOME="$WORK/h1" HUDDLE_JDK_API="$API" HUDDLE_JDK_DOWNLOAD=never
refused never "HUDDLE_JAVA_HOME"

step "no terminal, no HUDDLE_JDK_DOWNLOAD: no question, no download"
run noterm HUDDLE_HOME="$WORK/h1" HUDDLE_JDK_API="$API"
refused noterm "HUDDLE_JDK_DOWNLOAD=always"
! grep -q "\[Y/n\]" "$WORK/noterm.out" || fail "it asked without a terminal"

step "on a terminal, answer n"
on_terminal answer-n n HUDDLE_HOME="$WORK/h1" HUDDLE_JDK_API="$API"
refused answer-n "HUDDLE_JDK_DOWNLOAD=never"
grep -q "\[Y/n\]" "$WORK/answer-n.out" || fail "it did not ask"

step "a wrong SHA-256"
run badsum HUDDLE_HOME="$WORK/h1" HUDDLE_JDK_API="$API/bad" HUDDLE_JDK_DOWNLOAD=always
refused badsum "SHA-256"

step "HUDDLE_JDK_DOWNLOAD=always"
run always HUDDLE_HOME="$WORK/h1" HUDDLE_JDK_API="$API" HUDDLE_JDK_DOWNLOAD=always
installed always "$WORK/h1"
grep -q "SHA-256 checked" "$WORK/always.out" || fail "it does not say it checked the SHA-256"
[[ -z $(ls -A "$WORK/h1/jdk" | grep -v -x -e "$RELEASE") ]] || fail "leftovers in $WORK/h1/jdk: $(ls -A "$WORK/h1/jdk")"

step "the next run uses it, without asking or downloading"
run again HUDDLE_HOME="$WORK/h1" HUDDLE_JDK_API=http://127.0.0.1:9
installed again "$WORK/h1"
! grep -q "download" "$WORK/again.out" || fail "it downloaded again"
HUDDLE_HOME="$WORK/h1" sh -x "$huddle" version </dev/null 2>&1 | grep -q "^+ exec $WORK/h1/jdk/$RELEASE/bin/java " ||
  fail "the launcher does not run the downloaded JDK"

step "on a terminal, answer y"
on_terminal answer-y y HUDDLE_HOME="$WORK/h2" HUDDLE_JDK_API="$API"
installed answer-y "$WORK/h2"
EOF

step "without any JDK (unshare -m, tmpfs over /usr/lib/jvm)"
WORK=$work ROOT=$root API=$api RELEASE=$release_name unshare -m --propagation private bash "$work/no-jdk.sh" ||
  fail "the checks without a JDK failed (scratch folder kept: $work)"
cleanup
server=
rm -rf "$work"
step "passed: the launcher offers, checks and installs a JDK 25, and respects HUDDLE_JDK_DOWNLOAD"
