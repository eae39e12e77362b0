#!/usr/bin/env bash
# A server installs only the headless runner: a clean copy of the repository, `npm ci
# --omit=dev` (no Electron, no build tools), then `npx weir run` on the template.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
image="$(mktemp -d)"
trap 'rm -rf "$work" "$image"' EXIT
git -C "$root" ls-files -z | (cd "$root" && xargs -0 tar cf - 2>/dev/null) | tar xf - -C "$work"
cd "$work"
npm ci --omit=dev --no-audit --no-fund --loglevel=error
test ! -e node_modules/electron || { echo "electron was installed with --omit=dev" >&2; exit 1; }
test ! -e node_modules/typescript || { echo "typescript was installed with --omit=dev" >&2; exit 1; }
npx --no-install weir run templates/cgt-batch-release/pipelines/batch_release.weir.json
ls templates/cgt-batch-release/data/curated
# The Dockerfile's image: only what .dockerignore lets in (package.json, package-lock.json,
# bin/weir.cjs, bin/weir-main.cjs), installed as its RUN line does. Docker is not available here; this is the part
# of the build that can go wrong without it (a runtime package missing from dependencies).
cp package.json package-lock.json "$image/"
mkdir "$image/bin" && cp bin/weir.cjs bin/weir-main.cjs "$image/bin/"
(cd "$image" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
rm -rf templates/cgt-batch-release/data/curated
node "$image/bin/weir.cjs" run templates/cgt-batch-release/pipelines/batch_release.weir.json
ls templates/cgt-batch-release/data/curated
node "$image/bin/weir.cjs" export k8s templates/cgt-batch-release/pipelines/batch_release.weir.json > /dev/null
echo "server install smoke test: ok"
