#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
DATABASE_URL=sqlite:///:memory: .venv/bin/pytest "$@"
