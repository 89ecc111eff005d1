#!/bin/sh
# Builds huddle's distribution for one platform into target/dist/ (run it as `./huddle dist`, which builds
# the jar first and passes the JDK it found as JAVA_HOME):
#
#   huddle-<version>-<os>-<arch>.tar.gz          huddle.jar, a Java runtime (jlink), the AOT caches trained
#                                                on that runtime, the launcher, README.md and LICENSE
#   huddle-dev-huddle-<os>-<arch>-<version>.tgz  the npm platform package: the same files
#   huddle-dev-huddle-<version>.tgz              the npm main package: bin/huddle.js, which runs the
#                                                launcher of the platform package for this machine
#
# Usage: ./huddle dist [--platform <os>-<arch>]   (linux-x64, linux-arm64, darwin-x64, darwin-arm64;
# default: this machine's). jlink needs the platform's jmods: for another platform than this machine's,
# set HUDDLE_DIST_JDK_<OS>_<ARCH> (HUDDLE_DIST_JDK_LINUX_X64, ..._LINUX_ARM64, ..._DARWIN_X64,
# ..._DARWIN_ARM64) to a JDK 25 of that platform with jmods (Adoptium's "jmods" package); the AOT caches
# can only be trained on the platform itself, so such a build ships none (the hub trains them at first
# use). docs/RELEASING.md says how releases are built.
set -eu

PLATFORMS="linux-x64 linux-arm64 darwin-x64 darwin-arm64"
SCOPE=@huddle-dev

say() { printf 'huddle dist: %s\n' "$*"; }
die() {
  printf 'huddle dist: %s\n' "$*" >&2
  exit 1
}

root=$(cd "$(dirname "$0")/../.." && pwd -P)
jdk=${JAVA_HOME:-}
[ -n "$jdk" ] && [ -x "$jdk/bin/jlink" ] || die "run it as ./huddle dist (JAVA_HOME must name a JDK 25 with jlink)"
jar=$root/target/huddle.jar
[ -f "$jar" ] || die "no $jar: run ./huddle build"

host_platform() {
  case $(uname -s) in Linux) h_os=linux ;; Darwin) h_os=darwin ;; *) h_os=$(uname -s) ;; esac
  case $(uname -m) in x86_64 | amd64) h_arch=x64 ;; aarch64 | arm64) h_arch=arm64 ;; *) h_arch=$(uname -m) ;; esac
  printf '%s-%s\n' "$h_os" "$h_arch"
}
host=$(host_platform)
platform=$host
while [ $# -gt 0 ]; do
  case $1 in
    --platform) [ $# -ge 2 ] || die "--platform needs a value ($PLATFORMS)"; platform=$2; shift 2 ;;
    --platform=*) platform=${1#--platform=}; shift ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (usage: ./huddle dist [--platform <os>-<arch>])" ;;
  esac
done
case " $PLATFORMS " in *" $platform "*) ;; *) die "unknown platform '$platform': one of $PLATFORMS" ;; esac
os=${platform%-*}
arch=${platform#*-}

# The launcher keeps the time every file of the distribution carries (see HUDDLE_DIST_TIME there).
dist_time=$(sed -n 's/^HUDDLE_DIST_TIME=//p' "$root/huddle")
[ -n "$dist_time" ] || die "no HUDDLE_DIST_TIME in $root/huddle"

version=$("$jdk/bin/java" -jar "$jar" version | sed -n 's/^huddle \([^ ]*\) .*/\1/p')
[ -n "$version" ] || die "cannot read the version from '$jdk/bin/java -jar $jar version'"
name=huddle-$version-$platform
dist=$root/target/dist
work=$dist/work-$platform
stage=$work/$name
# --- which jmods ---------------------------------------------------------------------------------------------
jdk_var=HUDDLE_DIST_JDK_$(printf '%s_%s' "$os" "$arch" | tr 'a-z' 'A-Z')
eval "target_jdk=\${$jdk_var:-}"
module_path=
if [ -n "$target_jdk" ]; then
  if [ -f "$target_jdk/jmods/java.base.jmod" ]; then
    module_path=$target_jdk/jmods
  elif [ -f "$target_jdk/java.base.jmod" ]; then
    module_path=$target_jdk
  else
    die "$jdk_var=$target_jdk has no jmods/java.base.jmod: point it at a JDK 25 for $platform with jmods (Adoptium's jmods package for that platform, unpacked)"
  fi
elif [ "$platform" = "$host" ]; then
  # A JDK without jmods/ (Temurin 25) links from its own run-time image (JEP 493): this platform only.
  [ -f "$jdk/jmods/java.base.jmod" ] && module_path=$jdk/jmods
else
  die "building for $platform on $host needs that platform's jmods: set $jdk_var to a JDK 25 for $platform with a jmods/ folder (Adoptium's jmods package), same version as $jdk"
fi

rm -rf "$work"
mkdir -p "$stage" "$dist"
t0=$(date +%s)
say "building $name (into target/dist; the JDK: $jdk)"

# --- the runtime ---------------------------------------------------------------------------------------------
# The modules jdeps finds in the jar, less java.desktop (only Jetty's AWT leak preventer, JLine's image
# support and Jackson's java.beans annotations name it; none runs), plus what is reached by reflection:
# jdk.unsupported (sun.misc.Signal: JLine's terminal resize and interrupt handling in huddle watch).
# java.logging (slf4j-jdk14, the hub's log) comes with java.sql. `huddle demo`, `huddle watch` and
# `huddle web` run on this runtime (CI runs the demo with no other JDK on the machine).
say "finding the modules the jar needs (jdeps)"
deps=$("$jdk/bin/jdeps" --ignore-missing-deps --multi-release 25 --print-module-deps "$jar") ||
  die "jdeps failed on $jar"
modules=$({ printf '%s\n' "$deps" | tr ',' '\n'; printf 'java.logging\njdk.unsupported\n'; } |
  grep -v -x -e java.desktop -e '' | sort -u | paste -s -d , -)
say "linking a runtime for $platform with $modules"
set -- --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress zip-6 --output "$stage/runtime"
[ -n "$module_path" ] && set -- --module-path "$module_path" "$@"
"$jdk/bin/jlink" "$@" || die "jlink failed"
# npm pack leaves symbolic links out (jlink makes some under legal/): replace them by copies.
find "$stage/runtime" -type l | while IFS= read -r link; do
  cp "$link" "$link.copy" && rm "$link" && mv "$link.copy" "$link"
done

cp "$jar" "$stage/huddle.jar"
cp "$root/huddle" "$stage/huddle"
chmod 755 "$stage/huddle"
cp "$root/README.md" "$root/LICENSE" "$stage/"
TZ=UTC0 touch -t "$dist_time" "$stage/huddle.jar"

# --- the AOT caches, trained on that runtime for the jar with its final mtime ---------------------------------
mkdir -p "$stage/aot"
if [ "$platform" = "$host" ]; then
  say "training the AOT caches on the new runtime (about a minute)"
  home=$(mktemp -d "${TMPDIR:-/tmp}/hd.XXXXXX")
  HUDDLE_HOME=$home "$stage/runtime/bin/java" -Xlog:disable -Xlog:all=warning:stderr \
    -jar "$stage/huddle.jar" internal aot-train --out "$stage/aot" --force || die "AOT training failed (output above)"
  rm -rf "$home"
  # The front and hub caches ship; the cli cache (14 MB) would take the install past 120 MB: the first hub
  # trains it in the background.
  rm -f "$stage"/aot/cli-*.aot "$stage/aot/.training.lock"
  ls "$stage"/aot/*.aot >/dev/null 2>&1 || die "no AOT cache in $stage/aot"
else
  say "no AOT caches: they can only be trained on $platform itself (the hub trains them there at first use)"
fi
sha=$(cd "$stage" && { sha256sum huddle.jar 2>/dev/null || shasum -a 256 huddle.jar; })
printf '%s\n' "$sha" >"$stage/aot/huddle.jar.sha256"

# Every file gets the same time: the jar must keep the one the caches were trained with, and npm pack sets
# this one anyway.
find "$stage" -exec env TZ=UTC0 touch -t "$dist_time" {} +

# --- the tarball ---------------------------------------------------------------------------------------------
say "packing $name.tar.gz"
(cd "$work" && tar -cf - "$name" | gzip -6 >"$dist/$name.tar.gz")

# --- the npm packages ----------------------------------------------------------------------------------------
command -v npm >/dev/null 2>&1 || die "npm is needed to pack the npm packages (install Node.js 18 or newer)"
files='["huddle", "huddle.jar", "runtime/", "aot/", "README.md", "LICENSE"]'
cat >"$stage/package.json" <<EOF
{
  "name": "$SCOPE/huddle-$platform",
  "version": "$version",
  "description": "huddle for $os $arch: the launcher, huddle.jar, a Java runtime and its AOT caches. Install $SCOPE/huddle, which uses it.",
  "license": "Apache-2.0",
  "os": ["$os"],
  "cpu": ["$arch"],
  "files": $files,
  "preferUnplugged": true
}
EOF
say "packing the npm package $SCOPE/huddle-$platform"
(cd "$stage" && npm pack --silent --pack-destination "$dist" >/dev/null) || die "npm pack of the platform package failed"

main=$work/npm-main
mkdir -p "$main/bin"
cp "$root/src/dist/npm/huddle.js" "$main/bin/huddle.js"
chmod 755 "$main/bin/huddle.js"
cp "$root/README.md" "$root/LICENSE" "$main/"
optional=
for p in $PLATFORMS; do
  optional="$optional${optional:+,
}    \"$SCOPE/huddle-$p\": \"$version\""
done
cat >"$main/package.json" <<EOF
{
  "name": "$SCOPE/huddle",
  "version": "$version",
  "description": "Local coordination layer for AI coding agents (Claude Code, Codex CLI, Gemini CLI) working on one repository.",
  "license": "Apache-2.0",
  "bin": { "huddle": "bin/huddle.js" },
  "files": ["bin/huddle.js", "README.md", "LICENSE"],
  "engines": { "node": ">=16" },
  "optionalDependencies": {
$optional
  }
}
EOF
say "packing the npm package $SCOPE/huddle"
(cd "$main" && npm pack --silent --pack-destination "$dist" >/dev/null) || die "npm pack of the main package failed"

rm -rf "$work"
say "done in $(($(date +%s) - t0))s:"
(cd "$dist" && ls -l "$name.tar.gz" "huddle-dev-huddle-$platform-$version.tgz" "huddle-dev-huddle-$version.tgz" |
  awk '{ printf "  target/dist/%s  %s\n", $NF, $5 < 1048576 ? int($5 / 1024) " kB" : sprintf("%.1f MB", $5 / 1048576) }')
