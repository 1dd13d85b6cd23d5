#!/usr/bin/env bash
# What a new developer with only Node 20 sees: clones this repository (the committed HEAD, not the
# work tree) into a temporary folder, then, with every Chromium hidden from PATH and from
# Playwright's cache, and the other tools some tests use (poppler, LibreOffice, xmllint) hidden
# from PATH too:
#   1. `npm ci` must print no EBADENGINE warning;
#   2. `npm test` must pass, printing the one-line notice of each group of tests it skipped;
#   3. `REQUIRE_BROWSER=1 npm test` must fail, saying that no Chromium was found.
# Prints how long each step took. Exit 0 when all three hold.
#
#   bash scripts/fresh-clone-test.sh            # this repository's HEAD
#   bash scripts/fresh-clone-test.sh <git-url>  # any clone source
set -euo pipefail

source_repo="${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}"
work="$(mktemp -d "${TMPDIR:-/tmp}/cahier-fresh-XXXXXX")"
trap 'rm -rf "$work"' EXIT

say() { printf '\n== %s\n' "$*"; }
fail() { printf '\nFRESH CLONE TEST FAILED: %s\n' "$*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

# A PATH with the same tools minus any browser and the optional tools: one folder of links to every
# executable on PATH except the names the browser tests (test/e2e/support/browser.ts) and the
# poppler, LibreOffice and xmllint tests (test/support/*.ts) look for.
shim="$work/bin"
mkdir -p "$shim"
IFS=: read -r -a dirs <<< "$PATH"
for dir in "${dirs[@]}"; do
  [ -d "$dir" ] || continue
  for file in "$dir"/*; do
    name="$(basename "$file")"
    case "$name" in
      chromium|chromium-browser|google-chrome|google-chrome-stable|chrome) continue ;;
      pdfinfo|pdftotext|pdfdetach|pdffonts|pdftoppm|soffice|libreoffice|xmllint) continue ;;
    esac
    if [ -x "$file" ] && [ ! -e "$shim/$name" ]; then ln -s "$file" "$shim/$name"; fi
  done
done

clean_env=(env -u CI -u REQUIRE_BROWSER -u REQUIRE_LIBREOFFICE -u REQUIRE_XMLLINT -u SOFFICE -u CHROME_PATH PATH="$shim" PLAYWRIGHT_BROWSERS_PATH="$work/no-browsers" HOME="$work/home")
mkdir -p "$work/home" "$work/no-browsers"
# npm's cache is kept (a fresh machine downloads the same packages, only slower).
npm_cache="$(npm config get cache)"

say "clone $source_repo"
git clone -q --no-hardlinks "$source_repo" "$work/cahier"
cd "$work/cahier"
git log -1 --format='%h %s'

say "npm ci (Node $(node --version))"
start=$(date +%s)
"${clean_env[@]}" npm ci --no-audit --no-fund --cache "$npm_cache" 2>&1 | tee "$work/npm-ci.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "npm ci failed"
grep -q EBADENGINE "$work/npm-ci.log" && fail "npm ci warned EBADENGINE"
echo "npm ci: $(elapsed "$start"), no EBADENGINE warning"

say "npm test, no browser"
start=$(date +%s)
set +e
"${clean_env[@]}" npm test 2>&1 | tee "$work/npm-test.log"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || fail "npm test failed without a browser (exit $status)"
for notice in 'Browser tests (test/e2e) skipped: no Chromium found' 'PDF structure tests skipped' 'LibreOffice conversion and recalculation tests skipped' 'OOXML schema tests skipped'; do
  grep -q "$notice" "$work/npm-test.log" || fail "npm test passed but never printed « $notice »"
done
echo "npm test without a browser, poppler, LibreOffice or xmllint: passed in $(elapsed "$start"), each group skipped with its notice"

say "REQUIRE_BROWSER=1 npm test, no browser"
start=$(date +%s)
set +e
"${clean_env[@]}" REQUIRE_BROWSER=1 npm test > "$work/npm-test-required.log" 2>&1
status=$?
set -e
[ "$status" -ne 0 ] || fail "REQUIRE_BROWSER=1 npm test passed without a browser"
grep -q 'REQUIRE_BROWSER=1: the browser tests need Chromium and none was found' "$work/npm-test-required.log" || {
  cat "$work/npm-test-required.log"
  fail "REQUIRE_BROWSER=1 npm test failed without saying why"
}
grep 'REQUIRE_BROWSER=1: ' "$work/npm-test-required.log" | head -1
echo "REQUIRE_BROWSER=1 npm test: failed as it must (exit $status) in $(elapsed "$start")"

say "fresh clone test passed"
