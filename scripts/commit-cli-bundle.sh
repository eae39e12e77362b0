#!/usr/bin/env bash
# Rebuilds bin/weir.cjs and bin/weir-main.cjs from what is committed (HEAD), not from the working tree, and stages
# it: in a checkout shared by several people, uncommitted work must not leak into the bundle.
set -euo pipefail
root="$(git rev-parse --show-toplevel)"
wt="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"' EXIT
git -C "$root" worktree add --detach "$wt" HEAD >/dev/null 2>&1
ln -s "$root/node_modules" "$wt/node_modules"
(cd "$wt" && node scripts/build-cli.mjs)
for f in bin/weir.cjs bin/weir-main.cjs; do
  blob="$(git -C "$root" hash-object -w "$wt/$f")"
  git -C "$root" update-index --cacheinfo "100644,$blob,$f"
done
echo "staged bin/weir.cjs and bin/weir-main.cjs built from $(git -C "$root" rev-parse --short HEAD)"
