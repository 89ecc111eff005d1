#!/bin/sh
# Prepares the side-by-side run, outside the repository, in ${OXB_WORK:-$HOME/.cache/huddle-oxbench}:
#   oxtail/   oxtail v0.32.1 (commit 1051aae) from its public repository, built with `npm ci && npm run build`
#   huddle/   an installed-like huddle: the launcher `huddle`, lib/huddle.jar, lib/aot (trained with
#             `huddle internal aot-train`), and COMMIT (the commit it was built from)
#
#   bench/side-by-side/prepare.sh [oxtail|huddle]   (default: both)
#
# OXB_OXTAIL_SRC   an existing oxtail checkout or git directory (a bare mirror works) to take v0.32.1 from, instead of
#                  `git clone https://github.com/d4j3y2k/oxtail`
# OXB_HUDDLE_SRC   the huddle checkout to build (default: the one this script is in)
# OXB_HUDDLE_REV   build this commit of it (git archive into $OXB_WORK/huddle-src) instead of its working tree
# JAVA_HOME        the JDK 25 to build and train with (the bench runs huddle on the same one: OXB_JAVA_HOME)
set -eu

OXTAIL_TAG=v0.32.1
OXTAIL_COMMIT=1051aae
OXTAIL_URL=https://github.com/d4j3y2k/oxtail.git
here=$(cd "$(dirname "$0")" && pwd)
work=${OXB_WORK:-$HOME/.cache/huddle-oxbench}
what=${1:-both}

say() { printf 'prepare: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

mkdir -p "$work"
work=$(cd "$work" && pwd)
case $work/ in
  "$(cd "$here/../.." && pwd)"/*)
    rmdir "$work" 2>/dev/null || true
    die "OXB_WORK ($work) is inside the repository: oxtail's build must stay out of it" ;;
esac

# --- oxtail --------------------------------------------------------------------------------------------------------
# Writes oxtail $OXTAIL_TAG's files (no .git) into $1, from a git directory that has the tag.
oxtail_archive() {
  gitdir=$2
  sha=$(git --git-dir="$gitdir" rev-parse --verify --quiet "$OXTAIL_TAG^{commit}") || die "$gitdir has no tag $OXTAIL_TAG"
  case $sha in "$OXTAIL_COMMIT"*) ;; *) die "$OXTAIL_TAG is $sha in $gitdir, expected $OXTAIL_COMMIT" ;; esac
  git --git-dir="$gitdir" archive "$sha" | tar -x -C "$1"
}

prepare_oxtail() {
  dest=$work/oxtail
  rm -rf "$dest" "$work/oxtail-clone"
  mkdir -p "$dest"
  if [ -n "${OXB_OXTAIL_SRC-}" ]; then
    [ -d "$OXB_OXTAIL_SRC" ] || die "OXB_OXTAIL_SRC=$OXB_OXTAIL_SRC is not a directory"
    gitdir=$(git -C "$OXB_OXTAIL_SRC" rev-parse --absolute-git-dir 2>/dev/null) \
      || die "OXB_OXTAIL_SRC=$OXB_OXTAIL_SRC is not a git checkout or git directory"
    say "oxtail $OXTAIL_TAG from $gitdir"
    oxtail_archive "$dest" "$gitdir"
  else
    say "cloning oxtail $OXTAIL_TAG from $OXTAIL_URL"
    git clone -q --depth 1 --branch "$OXTAIL_TAG" "$OXTAIL_URL" "$work/oxtail-clone" \
      || die "git clone failed: set OXB_OXTAIL_SRC to a checkout or mirror of $OXTAIL_URL"
    oxtail_archive "$dest" "$work/oxtail-clone/.git"
    rm -rf "$work/oxtail-clone"
  fi
  grep -q '"version": "0.32.1"' "$dest/package.json" || die "$dest/package.json is not oxtail 0.32.1"
  say "building oxtail: npm ci && npm run build"
  (cd "$dest" && npm ci --no-audit --no-fund >&2 && npm run build >&2) || die "oxtail's build failed"
  [ -f "$dest/dist/server.js" ] || die "oxtail's build made no dist/server.js"
  say "oxtail ready: $dest"
}

# --- huddle, laid out as installed ---------------------------------------------------------------------------------
prepare_huddle() {
  src=${OXB_HUDDLE_SRC:-$(cd "$here/../.." && pwd)}
  [ -f "$src/pom.xml" ] && [ -f "$src/huddle" ] || die "$src is not a huddle checkout (OXB_HUDDLE_SRC)"
  if [ -n "${JAVA_HOME-}" ]; then java=$JAVA_HOME/bin/java; else java=java; fi
  if [ -n "${OXB_HUDDLE_REV-}" ]; then
    commit=$(git -C "$src" rev-parse --verify "$OXB_HUDDLE_REV^{commit}") || die "no commit $OXB_HUDDLE_REV in $src"
    build=$work/huddle-src
    rm -rf "$build"
    mkdir -p "$build"
    git -C "$src" archive "$commit" | tar -x -C "$build"
    label=$(git -C "$src" rev-parse --short "$commit")
  else
    build=$src
    label=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)
    [ -z "$(git -C "$src" status --porcelain -- src/main pom.xml huddle 2>/dev/null)" ] || label="$label+changes"
  fi
  say "building huddle $label in $build: ./mvnw -B -o package -DskipTests"
  (cd "$build" && ./mvnw -B -q -o package -DskipTests >&2) || die "huddle's build failed"
  dest=$work/huddle
  rm -rf "$dest"
  mkdir -p "$dest/lib/aot"
  cp "$build/huddle" "$dest/huddle"
  chmod 755 "$dest/huddle"
  cp "$build/target/huddle.jar" "$dest/lib/huddle.jar"
  printf '%s\n' "$label" >"$dest/COMMIT"
  say "training the AOT caches for $dest/lib/huddle.jar (about 15 s)"
  home=$(mktemp -d "${TMPDIR:-/tmp}/oxb-train.XXXXXX")
  HUDDLE_HOME=$home "$java" -Xlog:disable -Xlog:all=warning:stderr -jar "$dest/lib/huddle.jar" internal aot-train \
    --out "$dest/lib/aot" --force >&2 || { rm -rf "$home"; die "AOT training failed"; }
  rm -rf "$home"
  rm -f "$dest/lib/aot/.training.lock"
  ls "$dest"/lib/aot/front-*.aot "$dest"/lib/aot/hub-*.aot >/dev/null 2>&1 || die "no front and hub caches in $dest/lib/aot"
  say "huddle $label ready: $dest"
}

case $what in
  oxtail) prepare_oxtail ;;
  huddle) prepare_huddle ;;
  both) prepare_oxtail; prepare_huddle ;;
  *) die "usage: prepare.sh [oxtail|huddle|both]" ;;
esac
