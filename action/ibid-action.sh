#!/usr/bin/env bash
# The steps of the ibid GitHub Action (action.yml at the repository root), kept in one script so
# that CI (.ci/action-test.sh) runs the very same code in a shell:
#
#   ibid-action.sh resolve   which ibid to install: version, release target, install folder, cache key
#   ibid-action.sh install   put that ibid in the install folder: already there (cache), the release
#                            archive (SHA-256 checked), or `cargo install --locked` when none fits
#   ibid-action.sh run       run ibid; write the JSON, SARIF and Markdown reports, the job summary
#                            and the step outputs; exit 0 and leave ibid's exit code in `exit-code`
#                            (action.yml's last step exits with it)
#
# Inputs arrive in IBID_* environment variables, never spliced into script text; results go to
# $GITHUB_OUTPUT, the job summary to $GITHUB_STEP_SUMMARY, the install folder to $GITHUB_PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=action/lib.sh
. "$here/lib.sh"
action_root="$(dirname "$here")"

die() {
  echo "::error title=ibid action::$*" >&2
  exit 1
}

# name=value into $GITHUB_OUTPUT (values here are single-line: numbers, paths, names)
out() {
  [ -n "${GITHUB_OUTPUT:-}" ] || die "GITHUB_OUTPUT is not set"
  printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"
}

# A path as the runner's own programs expect it: C:\... on Windows (Git Bash), unchanged elsewhere.
native_path() {
  if command -v cygpath > /dev/null 2>&1; then cygpath -w "$1"; else printf '%s\n' "$1"; fi
}

# A path bash can use: /c/... on Windows for a C:\... value, unchanged elsewhere.
unix_path() {
  if command -v cygpath > /dev/null 2>&1; then cygpath -u "$1"; else printf '%s\n' "$1"; fi
}

is_true() {
  case "$1" in
    true | on | yes | 1) return 0 ;;
    false | off | no | 0 | "") return 1 ;;
    *) die "expected true or false, got '$1'" ;;
  esac
}

github_url() { printf '%s\n' "${IBID_GITHUB_URL:-https://github.com}"; }

repository() {
  local r=${IBID_REPOSITORY:-${GITHUB_REPOSITORY:-}}
  [ -n "$r" ] || die "no repository to download ibid from (IBID_REPOSITORY and GITHUB_REPOSITORY are empty)"
  printf '%s\n' "$r"
}

# GET a URL into a file; fails on HTTP errors; retries transient failures, not a refused connection.
fetch() {
  curl --fail --silent --show-error --location --retry 3 --connect-timeout 10 --max-time 300 \
    --output "$2" "$1"
}

# The newest release's version: github.com answers /releases/latest with a redirect to
# /releases/tag/vX.Y.Z (to /releases when there is none). Prints nothing when it cannot tell.
latest_release() {
  local url
  url=$(curl --fail --silent --show-error --location --head --connect-timeout 10 --max-time 30 \
    --output /dev/null --write-out '%{url_effective}' "$(github_url)/$(repository)/releases/latest" 2> /dev/null) || return 0
  case "$url" in
    */releases/tag/v*) printf '%s\n' "${url##*/releases/tag/v}" ;;
  esac
}

valid_version() {
  [[ $1 =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]
}

# A short digest of the action's own source, so a `version: source` build is cached per source.
source_digest() {
  local list f
  list=$(mktemp)
  (
    cd "$action_root"
    { printf '%s\n' Cargo.toml Cargo.lock; find src -type f | LC_ALL=C sort; } |
      while IFS= read -r f; do printf '%s %s\n' "$(sha256_of "$f")" "$f"; done
  ) > "$list"
  sha256_of "$list" | cut -c1-16
  rm -f "$list"
}

cmd_resolve() {
  local requested=${IBID_VERSION:-latest} os=${RUNNER_OS:-} arch=${RUNNER_ARCH:-}
  local own target version mode key cache_root
  own=$(cargo_version "$action_root/Cargo.toml")
  [ -n "$own" ] || die "no version in $action_root/Cargo.toml"
  target=$(release_target "$os" "$arch")
  case "$requested" in
    source)
      mode=source version=$own
      ;;
    latest)
      version=$(latest_release)
      if [ -n "$version" ] && valid_version "$version"; then
        mode=release
      else
        echo "::notice title=ibid action::no release of $(repository) found; building the action's own source (ibid $own)"
        mode=source version=$own
      fi
      ;;
    *)
      version=${requested#v}
      valid_version "$version" || die "version: expected latest, source or a version such as 0.1.0, got '$requested'"
      mode=release
      ;;
  esac
  if [ "$mode" = source ]; then
    key="ibid-source-$(source_digest)-$os-$arch"
  else
    key="ibid-$version-${target:-cargo}-$os-$arch"
  fi
  cache_root=$(unix_path "${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}}")
  out version "$version"
  out mode "$mode"
  out target "$target"
  out key "$key"
  out dir "$(native_path "$cache_root/ibid/$key")"
  echo "ibid $version ($mode${target:+, $target}); cache key $key"
}

# The installed binary answers `ibid VERSION` to --version.
binary_ok() {
  [ -f "$1" ] && [ "$("$1" --version 2> /dev/null)" = "ibid $2" ]
}

extract() {
  local archive=$1 into=$2
  case "$archive" in
    *.tar.gz) tar -xzf "$archive" -C "$into" ;;
    *.zip)
      if command -v unzip > /dev/null 2>&1; then
        unzip -q "$archive" -d "$into"
      elif command -v 7z > /dev/null 2>&1; then
        7z x -bso0 "-o$(native_path "$into")" "$(native_path "$archive")"
      else
        powershell -NoProfile -Command "Expand-Archive -LiteralPath '$(native_path "$archive")' -DestinationPath '$(native_path "$into")'"
      fi
      ;;
  esac
}

# Download the release archive and its .sha256, check the digest, put the binary in $2/bin.
# Returns 1 (and the caller builds from source) when the archive cannot be downloaded; a digest
# that does not match is an error, never papered over by a source build.
install_release() {
  local version=$1 dir=$2 target=$3 stem archive url tmp want got exe
  stem=$(release_stem "$version" "$target")
  archive="$stem$(archive_suffix "$target")"
  exe=$(binary_name "$target")
  url="$(github_url)/$(repository)/releases/download/v$version/$archive"
  tmp=$(mktemp -d)
  echo "downloading $url"
  if ! fetch "$url" "$tmp/$archive" || ! fetch "$url.sha256" "$tmp/$archive.sha256"; then
    echo "::warning title=ibid action::could not download $url; building ibid from source instead"
    rm -rf "$tmp"
    return 1
  fi
  want=$(cut -d' ' -f1 < "$tmp/$archive.sha256" | tr -d '\r\n')
  got=$(sha256_of "$tmp/$archive")
  [ "$want" = "$got" ] || die "$archive: SHA-256 $got does not match the published $want"
  mkdir -p "$tmp/x"
  extract "$tmp/$archive" "$tmp/x"
  [ -f "$tmp/x/$stem/$exe" ] || die "$archive holds no $stem/$exe"
  mkdir -p "$dir/bin"
  mv "$tmp/x/$stem/$exe" "$dir/bin/$exe"
  chmod +x "$dir/bin/$exe"
  rm -rf "$tmp"
}

# cargo install --locked: the action's own source when it is the version asked for, else the
# release tag from the repository.
install_with_cargo() {
  local version=$1 dir=$2 mode=$3 own
  command -v cargo > /dev/null 2>&1 ||
    die "no ibid release binary fits ${RUNNER_OS:-this OS}/${RUNNER_ARCH:-this architecture} (or it could not be downloaded) and cargo is not installed: add a Rust toolchain step (dtolnay/rust-toolchain@stable) before this action"
  own=$(cargo_version "$action_root/Cargo.toml")
  if [ "$mode" = source ] || [ "$version" = "$own" ]; then
    echo "cargo install --locked --path $action_root"
    cargo install --locked --path "$action_root" --root "$dir"
  else
    echo "cargo install --locked --git $(github_url)/$(repository) --tag v$version"
    cargo install --locked --git "$(github_url)/$(repository)" --tag "v$version" --root "$dir" ibid
  fi
}

cmd_install() {
  local version=${IBID_RESOLVED_VERSION:?} mode=${IBID_MODE:?} target=${IBID_TARGET:-} dir exe=ibid bin how
  dir=$(unix_path "${IBID_DIR:?}")
  if [ "${RUNNER_OS:-}" = Windows ]; then exe=ibid.exe; fi
  bin="$dir/bin/$exe"
  if binary_ok "$bin" "$version"; then
    how=cache
  elif [ "$mode" = release ] && [ -n "$target" ] && install_release "$version" "$dir" "$target"; then
    how=release
  else
    if [ -z "$target" ] && [ "$mode" = release ]; then
      echo "::notice title=ibid action::no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}; building ibid $version from source"
    fi
    install_with_cargo "$version" "$dir" "$mode"
    how=cargo
  fi
  binary_ok "$bin" "$version" || die "$bin does not answer 'ibid $version' to --version"
  echo "ibid $version installed ($how): $bin"
  if [ -n "${GITHUB_PATH:-}" ]; then native_path "$dir/bin" >> "$GITHUB_PATH"; fi
  out path "$(native_path "$bin")"
  out installed-by "$how"
}

# IBID_ARGS split as a shell splits words (quotes honoured, nothing expanded) into ARGS.
# (No mapfile and no bare empty-array expansions: macOS's /bin/bash is 3.2.)
split_args() {
  local raw=${IBID_ARGS:-} parsed word
  ARGS=()
  [[ $raw =~ [^[:space:]] ]] || raw=check
  parsed=$(printf '%s' "$raw" | xargs printf '%s\n') || die "args: cannot split '$raw' into words (an unmatched quote?)"
  while IFS= read -r word; do ARGS+=("$word"); done <<< "$parsed"
}

# Flags the action sets itself; in `args` they would clash with the reports it writes.
refuse_reserved() {
  local a
  for a in "$@"; do
    case "$a" in
      --format | --format=* | --output | --output=* | -o | -o?* | --summary | --fail-on | --fail-on=*)
        die "args: leave out $a; the action sets the report flags itself (use the format and fail-on inputs)"
        ;;
    esac
  done
}

# Count N from the JSON report's summary (jq on every GitHub runner; python3 where jq is missing).
summary_count() {
  if command -v jq > /dev/null 2>&1; then
    jq -r ".summary.$2" "$1"
  else
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"][sys.argv[2]])' "$1" "$2"
  fi
}

# The Markdown report into the job summary, cut below GitHub's 1 MiB limit for one step.
write_job_summary() {
  local md=$1 limit=1000000
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] || return 0
  if [ "$(wc -c < "$md")" -gt "$limit" ]; then
    head -c "$limit" "$md" >> "$GITHUB_STEP_SUMMARY"
    printf '\n\n_(cut at 1 MB: the whole report is in the markdown output file)_\n' >> "$GITHUB_STEP_SUMMARY"
  else
    cat "$md" >> "$GITHUB_STEP_SUMMARY"
  fi
}

# Run ibid with ARGS, then EXTRA (FAIL and, for the re-renders, OFFLINE first); CODE gets its
# exit code. Returns 1 on a usage, configuration or I/O error (exit code 2 and up).
ibid_with() {
  set +e
  "$BIN" "${ARGS[@]}" ${OFFLINE[@]+"${OFFLINE[@]}"} ${FAIL[@]+"${FAIL[@]}"} "$@"
  CODE=$?
  set -e
  if [ "$CODE" -ge 2 ]; then
    echo "::error title=ibid::ibid ${ARGS[*]} $* exited with $CODE (usage, configuration or I/O error; see above)"
    return 1
  fi
}

cmd_run() {
  local format=${IBID_FORMAT:-github} fail_on=${IBID_FAIL_ON:-} sarif=false summary=true reports code n
  BIN=${IBID_BIN:-ibid}
  if is_true "${IBID_SARIF:-false}"; then sarif=true; fi
  if is_true "${IBID_SUMMARY:-true}"; then summary=true; else summary=false; fi
  split_args
  case "${ARGS[0]}" in
    -*) die "args: start with the command (check, verify, fetch ...); options such as --config go after it" ;;
  esac
  OFFLINE=() FAIL=()
  if [ "${ARGS[0]}" != check ]; then
    ibid_with || true
    out exit-code "$CODE"
    return 0
  fi
  refuse_reserved "${ARGS[@]}"
  case "$fail_on" in
    "") ;;
    error | warning | note) FAIL=(--fail-on "$fail_on") ;;
    *) die "fail-on: expected error, warning or note, got '$fail_on'" ;;
  esac
  # a folder of its own for each use of the action, so two uses in one job keep their reports
  reports=$(mktemp -d "$(unix_path "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")/ibid-report.XXXXXX")

  # The run that counts: it fetches what is missing (unless args say --offline), decides the
  # exit code and writes the JSON report the counts come from.
  if ! ibid_with --format json --output "$reports/report.json"; then
    out exit-code "$CODE"
    return 0
  fi
  code=$CODE
  out report "$(native_path "$reports/report.json")"
  for n in claims errors warnings notes; do
    out "$n" "$(summary_count "$reports/report.json" "$n")"
  done

  # The other reports render the same snapshots again, offline, so they never reach the network.
  OFFLINE=(--offline)
  for n in "${ARGS[@]}"; do
    if [ "$n" = --offline ]; then OFFLINE=(); fi
  done
  if ! ibid_with --format "$format" ||
    { [ "$sarif" = true ] && ! ibid_with --format sarif --output "$reports/ibid.sarif"; } ||
    ! ibid_with --format markdown --output "$reports/report.md"; then
    out exit-code "$CODE"
    return 0
  fi
  if [ "$sarif" = true ]; then out sarif "$(native_path "$reports/ibid.sarif")"; fi
  out markdown "$(native_path "$reports/report.md")"
  if [ "$summary" = true ]; then write_job_summary "$reports/report.md"; fi
  out exit-code "$code"
}

case "${1:-}" in
  resolve) cmd_resolve ;;
  install) cmd_install ;;
  run) cmd_run ;;
  *)
    echo "usage: $0 resolve|install|run" >&2
    exit 2
    ;;
esac
