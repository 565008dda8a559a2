#!/usr/bin/env bash
# The real browser the HTML and Mermaid tests use (tests/browser.py): Debian's chromium, and
# the npm package mermaid's bundled script, unpacked under .ci/browser/ (not committed).
# Installs what is missing; a failure here only makes those tests skip, with a message.
set -uo pipefail
cd "$(dirname "$0")/.."
MERMAID_VERSION=11.12.1
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get install -y -q chromium >/dev/null 2>&1 \
      || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1)) \
      || echo "browser.sh: could not install chromium (the browser tests will be skipped)" >&2
  fi
fi
dest=.ci/browser/mermaid
if [ ! -f "$dest/dist/mermaid.min.js" ] || [ "$(cat "$dest/.version" 2>/dev/null)" != "$MERMAID_VERSION" ]; then
  tmp=$(mktemp -d)
  if command -v npm >/dev/null 2>&1 \
      && (cd "$tmp" && npm pack -q "mermaid@$MERMAID_VERSION" >/dev/null 2>&1) \
      && tar -xzf "$tmp"/mermaid-*.tgz -C "$tmp" package/dist/mermaid.min.js package/LICENSE; then
    rm -rf "$dest" && mkdir -p "$dest/dist"
    mv "$tmp/package/dist/mermaid.min.js" "$dest/dist/" && mv "$tmp/package/LICENSE" "$dest/"
    echo "$MERMAID_VERSION" > "$dest/.version"
  else
    echo "browser.sh: could not fetch mermaid@$MERMAID_VERSION from npm (the Mermaid tests will be skipped)" >&2
  fi
  rm -rf "$tmp"
fi
exit 0
