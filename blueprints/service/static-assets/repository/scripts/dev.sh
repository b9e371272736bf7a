#!/usr/bin/env bash
# Compiles on every change and restarts the server. Usage: ./scripts/dev.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."

export PORT="${1:-${PORT:-{{port}}}}"
export LOG_LEVEL="${LOG_LEVEL:-debug}"

if [ ! -d node_modules ]; then
  npm install --no-audit --no-fund
fi

npx tsc --build
npx tsc --build --watch --preserveWatchOutput &
compiler=$!
trap 'kill "$compiler" 2>/dev/null || true' EXIT

echo "{{{serviceName}}}: http://localhost:$PORT/healthz"
node --watch-path=lib --watch-path=config lib/main.js
