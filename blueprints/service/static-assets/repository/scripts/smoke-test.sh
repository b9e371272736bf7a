#!/usr/bin/env bash
# Checks a running instance: health, readiness and every resource's list endpoint.
# Usage: ./scripts/smoke-test.sh [base-url]
set -euo pipefail

base="${1:-http://localhost:{{port}}}"
paths=(/healthz /readyz{{#resources}} /{{{name}}}{{/resources}})

failed=0
for path in "${paths[@]}"; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "$base$path")"
  if [ "$status" = "200" ]; then
    echo "ok    $path"
  else
    echo "FAIL  $path ($status)"
    failed=1
  fi
done
exit "$failed"
