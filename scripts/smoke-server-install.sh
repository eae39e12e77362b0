#!/usr/bin/env bash
# A server installs only the headless runner: a clean copy of the repository, `npm ci
# --omit=dev` (no Electron, no build tools), then `npx weir run` on the template.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$root" ls-files -z | (cd "$root" && xargs -0 tar cf - 2>/dev/null) | tar xf - -C "$work"
cd "$work"
npm ci --omit=dev --no-audit --no-fund --loglevel=error
test ! -e node_modules/electron || { echo "electron was installed with --omit=dev" >&2; exit 1; }
test ! -e node_modules/typescript || { echo "typescript was installed with --omit=dev" >&2; exit 1; }
npx --no-install weir run templates/cgt-batch-release/pipelines/batch_release.weir.json
ls templates/cgt-batch-release/data/curated
echo "server install smoke test: ok"
