#!/usr/bin/env bash
# Measures how fast the gateway acknowledges signed app_mention deliveries: builds (Release), starts a stand-in
# for Slack and Dagen, a silo on the embedded default and a gateway, all on free ports of 127.0.0.1, runs
# bench/EventsBench, and stops what it started. See docs/benchmark.md.
#
#   scripts/bench-events.sh [--rate 1000] [--seconds 10] [--warmup-seconds 10] [--slack-channels 1] [--timeline]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
logs="$root/artifacts/bench"
mkdir -p "$logs"

if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
  echo "== Build (Release)"
  dotnet build Dagen.Orleans.sln -c Release -nologo -v quiet
fi

bench="$root/bench/EventsBench/bin/Release/net10.0/Dagen.Bench.Events.dll"
silo="$root/src/Silo/bin/Release/net10.0/Dagen.Silo.dll"
gateway="$root/src/Gateway/bin/Release/net10.0/Dagen.Gateway.dll"

pids=()
stop_all() {
  # Only the processes this script started, by their ids.
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2> /dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2> /dev/null || true
  done
}
trap stop_all EXIT

port() { dotnet "$bench" free-port; }
stand_in_port=$(port)
silo_port=$(port)
silo_gateway_port=$(port)
gateway_port=$(port)
admin_token=$(openssl rand -hex 24)

echo "== Stand-in for Slack and Dagen on 127.0.0.1:$stand_in_port"
dotnet "$bench" stand-in --port "$stand_in_port" > "$logs/stand-in.log" 2>&1 &
pids+=($!)

echo "== Silo on 127.0.0.1:$silo_port (cluster clients: $silo_gateway_port)"
# A fresh key for this run only; nothing it seals outlives the run (embedded storage is in memory).
env Secrets__ActiveKeyId=bench \
  Secrets__Keys__bench="$(openssl rand -base64 32)" \
  Orleans__SiloPort="$silo_port" \
  Orleans__GatewayPort="$silo_gateway_port" \
  Slack__ApiBaseUrl="http://127.0.0.1:$stand_in_port/api/" \
  Dagen__BaseUrl="http://127.0.0.1:$stand_in_port" \
  Dagen__ApiToken=bench \
  Agents__BaseUrl="http://127.0.0.1:$stand_in_port/v1" \
  Logging__LogLevel__Default=Warning \
  Logging__LogLevel__Orleans=Error \
  EventDedup__HandOffAttempts="${BENCH_HANDOFF_ATTEMPTS:-6}" \
  "Logging__LogLevel__Dagen.Grains.Slack.EventDedupGrain=${BENCH_DEDUP_LOG_LEVEL:-Warning}" \
  dotnet "$silo" > "$logs/silo.log" 2>&1 &
pids+=($!)

echo "== Gateway on 127.0.0.1:$gateway_port"
ASPNETCORE_URLS="http://127.0.0.1:$gateway_port" \
Orleans__GatewayPort="$silo_gateway_port" \
Gateway__AdminToken="$admin_token" \
Gateway__PublicBaseUrl="http://127.0.0.1:$gateway_port" \
Logging__LogLevel__Default=Warning \
Logging__LogLevel__Orleans=Error \
  dotnet "$gateway" > "$logs/gateway.log" 2>&1 &
pids+=($!)

echo "== Benchmark"
dotnet "$bench" run --gateway "http://127.0.0.1:$gateway_port" --admin-token "$admin_token" "$@"
