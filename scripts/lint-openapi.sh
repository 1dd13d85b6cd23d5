#!/usr/bin/env bash
# Lints the API's OpenAPI document (GET /openapi.json) with the recommended rulesets of Redocly CLI
# and Spectral, which live in tools/openapi-lint with their own lockfile (installed on first use).
# Fails on any error or warning of either. CI runs it (.ci/run); `npm run lint:openapi` locally.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=tools/openapi-lint
[ -x "$tools/node_modules/.bin/redocly" ] && [ -x "$tools/node_modules/.bin/spectral" ] || npm ci --prefix "$tools" --no-audit --no-fund
doc="$(mktemp -d)/openapi.json"
npx tsx scripts/write-openapi.ts "$doc"
echo "Redocly CLI $("$tools/node_modules/.bin/redocly" --version) (recommended):"
# Redocly exits non-zero on errors only: its warnings are failed here, as Spectral's are by --fail-severity.
report="$("$tools/node_modules/.bin/redocly" lint --config "$tools/redocly.yaml" --max-problems 200 --format stylish "$doc" 2>&1)" || { echo "$report"; exit 1; }
echo "$report"
if grep -qE '^[[:space:]]+[0-9]+:[0-9]+[[:space:]]+warning' <<<"$report"; then
  echo "Redocly reported warnings: the lint fails on them." >&2
  exit 1
fi
echo "Spectral $("$tools/node_modules/.bin/spectral" --version) (spectral:oas):"
"$tools/node_modules/.bin/spectral" lint --ruleset "$tools/.spectral.yaml" --fail-severity warn "$doc"
