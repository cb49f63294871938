#!/usr/bin/env bash
# Validates cht-core's own config/default (at the given tags, each for its own version) and config/standard (last
# shipped in 4.5.0) with chtkit, printing the workflow diagnostics (sms/, outbound/, contact-types/, permissions/,
# settings/). Nothing is committed: the configs are exported to a temp dir. Findings are explained in
# the README (validate-app-settings, "What chtkit finds in cht-core's own config/default and config/standard").
#   scripts/validate-core-configs.sh /path/to/cht-core.git [tag ...]
set -euo pipefail
git_dir=${1:?usage: $0 CHT_CORE_GIT_DIR [tag ...]}
shift
tags=("${@:-4.11.0 5.2.0}")
read -r -a tags <<<"${tags[*]}"
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() { # name tree-ish config core-version
  local dir="$work/$1"
  mkdir -p "$dir"
  git --git-dir="$git_dir" archive "$2" "config/$3" | tar -x -C "$dir" --strip-components=2
  ln -s "$here/node_modules" "$dir/node_modules"
  echo "== config/$3 at $2, validated for cht-core $4"
  node "$here/bin/cht.js" --source="$dir" validate-app-settings --json --core-version="$4" 2>/dev/null |
    node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
      for (const x of d.diagnostics) if (/^(sms|outbound|contact-types|permissions|settings)\//.test(x.code))
        console.log(`  ${x.severity} ${x.code} ${x.path ?? ""}: ${x.message}`);' || true
}

for tag in "${tags[@]}"; do
  v=$(sed -E 's/^v?([0-9]+\.[0-9]+).*/\1/' <<<"$tag")
  check "default-$tag" "$tag" default "$v"
done
check standard-4.5.0 4.5.0 standard 4.5
