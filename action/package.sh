#!/usr/bin/env bash
# Pack one built binary the way the release workflow publishes it, and the way the GitHub Action
# and `cargo binstall` look for it:
#   OUT_DIR/ibid-vVERSION-TARGET.tar.gz        (.zip for Windows targets) holding
#           ibid-vVERSION-TARGET/ibid[.exe], README.md
#   OUT_DIR/ibid-vVERSION-TARGET.tar.gz.sha256 (`sha256sum -c` format)
# usage: action/package.sh TARGET BINARY OUT_DIR     (VERSION is read from Cargo.toml)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=action/lib.sh
. "$here/lib.sh"

[ $# -eq 3 ] || { echo "usage: $0 TARGET BINARY OUT_DIR" >&2; exit 2; }
target=$1 binary=$2 out=$3
[ -f "$binary" ] || { echo "package: no binary at $binary" >&2; exit 2; }
version=$(cargo_version "$root/Cargo.toml")
[ -n "$version" ] || { echo "package: no version in $root/Cargo.toml" >&2; exit 2; }
stem=$(release_stem "$version" "$target")
suffix=$(archive_suffix "$target")
archive="$stem$suffix"

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/$stem"
cp "$binary" "$work/$stem/$(binary_name "$target")"
cp "$root/README.md" "$work/$stem/"
rm -f "$out/$archive"
case "$suffix" in
  .zip)
    if command -v zip > /dev/null 2>&1; then
      (cd "$work" && zip -q -r "$out/$archive" "$stem")
    else
      (cd "$work" && 7z a -tzip -bso0 "$out/$archive" "$stem")
    fi
    ;;
  .tar.gz) tar -C "$work" -czf "$out/$archive" "$stem" ;;
esac
(cd "$out" && printf '%s  %s\n' "$(sha256_of "$archive")" "$archive" > "$archive.sha256")
echo "$out/$archive"
