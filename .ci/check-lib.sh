# Shared by .ci/dist-check.sh and .ci/jdk-download-check.sh, and by the scripts they run in a private mount
# namespace (sourced, bash). Set check_name first.

step() { printf '\n--> %s: %s\n' "$check_name" "$*"; }

fail() {
  printf '%s: FAILED: %s\n' "$check_name" "$*" >&2
  exit 1
}

need_root() {
  [[ $(id -u) -eq 0 ]] || fail "needs root: it hides the JDKs with unshare -m and a tmpfs over /usr/lib/jvm"
  command -v unshare >/dev/null || fail "needs unshare (util-linux)"
}

# hide_jdks [DIR]: inside `unshare -m`: an empty tmpfs over /usr/lib/jvm, no JDK variables, PATH the system's
# folders (after DIR, if given); then checks that no java is left.
hide_jdks() {
  mount -t tmpfs -o size=1m tmpfs /usr/lib/jvm || fail "cannot mount a tmpfs over /usr/lib/jvm"
  unset JAVA_HOME HUDDLE_JAVA_HOME JDK_HOME HUDDLE_JDK_DOWNLOAD
  export PATH=${1:+$1:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  if command -v java; then fail "a java is still on PATH"; fi
  [[ -z $(ls -A /usr/lib/jvm) ]] || fail "/usr/lib/jvm is not empty"
  echo "no JDK: /usr/lib/jvm is an empty tmpfs, command -v java finds nothing"
}
