# shellcheck shell=bash
# Shared by action/ibid-action.sh (the GitHub Action's steps) and action/package.sh (the release
# workflow's packing): the one definition of a release archive's name and layout. Cargo.toml's
# [package.metadata.binstall] spells the same names for `cargo binstall`; .ci/action-test.sh checks
# that all three agree.

# The Rust target triple of a release binary for a GitHub runner (RUNNER_OS, RUNNER_ARCH), or
# nothing when no release binary fits that runner.
release_target() {
  case "$1/$2" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
  esac
}

# ibid-vVERSION-TARGET: the archive's name without its suffix, and the folder inside it.
release_stem() { echo "ibid-v$1-$2"; }

# .zip for Windows targets, .tar.gz for the rest.
archive_suffix() {
  case "$1" in
    *windows*) echo .zip ;;
    *) echo .tar.gz ;;
  esac
}

# ibid.exe for Windows targets, ibid for the rest.
binary_name() {
  case "$1" in
    *windows*) echo ibid.exe ;;
    *) echo ibid ;;
  esac
}

# The hex SHA-256 of a file (sha256sum on Linux and Git Bash, shasum on macOS).
sha256_of() {
  if command -v sha256sum > /dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# The package version in a Cargo.toml: the first top-level `version = "..."` line ([package]
# comes first; dependencies are inline tables and never start a line with `version`).
cargo_version() {
  sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$1" | head -n 1
}
