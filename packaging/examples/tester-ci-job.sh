#!/usr/bin/env bash
# A CI job for a team that tests its own Salesforce chat client (Live Agent or Enhanced Chat) against the
# liveagent-mock simulator: installs the simulator from npm, starts it on a free port, runs your tests with its base
# URL in LIVEAGENT_MOCK_URL, and stops it however the job ends. Call it from any CI (GitHub Actions `run:`, GitLab
# `script:`, Jenkins `sh`), from your project's folder:
#
#   TEST_COMMAND='npm test' bash tester-ci-job.sh
#
# Settings (environment):
#   SIMULATOR_PACKAGE  what to install (default @liveagent-hop/mock-server@0.1.0; a tarball path works too)
#   SIMULATOR_ARGS     flags for liveagent-mock (default --scenario echo: an automatic agent answers; see --help)
#   TEST_COMMAND       your tests (default npm test); they read LIVEAGENT_MOCK_URL
#   READY_SECONDS      how long the simulator may take to start (default 30)
set -euo pipefail

SIMULATOR_PACKAGE=${SIMULATOR_PACKAGE:-@liveagent-hop/mock-server@0.1.0}
SIMULATOR_ARGS=${SIMULATOR_ARGS:---scenario echo}
TEST_COMMAND=${TEST_COMMAND:-npm test}
READY_SECONDS=${READY_SECONDS:-30}

npm install --no-save --no-audit --no-fund "$SIMULATOR_PACKAGE"

log=$(mktemp)
# The bin itself (not npx) so that $! is the simulator's own process and the trap stops it.
# shellcheck disable=SC2086 # SIMULATOR_ARGS is a list of flags
./node_modules/.bin/liveagent-mock --port 0 $SIMULATOR_ARGS >"$log" 2>&1 &
simulator=$!
cleanup() {
  kill "$simulator" 2>/dev/null || true
  wait "$simulator" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

# The simulator's first line is its base URL.
url=''
for _ in $(seq $((READY_SECONDS * 10))); do
  url=$(head -n 1 "$log")
  [[ $url == http* ]] && break
  kill -0 "$simulator" 2>/dev/null || { cat "$log"; echo "tester-ci-job: the simulator did not start" >&2; exit 1; }
  sleep 0.1
done
[[ $url == http* ]] || { cat "$log"; echo "tester-ci-job: no base URL after ${READY_SECONDS} s" >&2; exit 1; }
echo "tester-ci-job: simulator (pid $simulator) at $url"

export LIVEAGENT_MOCK_URL=$url
bash -c "$TEST_COMMAND"
