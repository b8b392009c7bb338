#!/usr/bin/env bash
# Runs the whole Slack integration on this machine, as docs/local-development.md describes:
#   - the silo on the embedded default (in-memory cluster, grain state and reminders),
#   - the gateway on http://127.0.0.1:5080,
#   - development stand-ins for Slack (http://127.0.0.1:5090) and Dagen (http://127.0.0.1:5091), each only
#     when no real URL is configured (Slack__ApiBaseUrl, Dagen__BaseUrl),
# then creates the local notification channel through the gateway's settings API and points the local
# workspace's Request URL at it. Ctrl-C stops everything this script started. Logs: .local/logs/.
#
#   scripts/run-local.sh              build once, then run
#   scripts/run-local.sh --no-build   run what was built last
#
# Ports (environment): GATEWAY_PORT (5080), SLACK_PORT (5090), DAGEN_PORT (5091), SILO_PORT (11111),
# SILO_GATEWAY_PORT (30000). Every secret is generated per run unless given: Gateway__AdminToken,
# Dagen__ApiToken (required with a real Dagen__BaseUrl).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
configuration=${CONFIGURATION:-Debug}
bin() { echo "$root/src/$1/bin/$configuration/net10.0/$2"; }
logs="$root/.local/logs"

gateway_port=${GATEWAY_PORT:-5080}
slack_port=${SLACK_PORT:-5090}
dagen_port=${DAGEN_PORT:-5091}
silo_port=${SILO_PORT:-11111}
silo_gateway_port=${SILO_GATEWAY_PORT:-30000}

say() { echo "run-local: $*"; }
die() { echo "run-local: error: $*" >&2; exit 1; }

build=true
case "${1:-}" in
  "") ;;
  --no-build) build=false ;;
  -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) die "unknown argument '$1' (try --help)" ;;
esac

# --- What is real and what is stood in -----------------------------------------------------------------
slack_standin=true
[[ -n "${Slack__ApiBaseUrl:-}" ]] && slack_standin=false
dagen_standin=true
if [[ -n "${Dagen__BaseUrl:-}" ]]; then
  dagen_standin=false
  [[ -n "${Dagen__ApiToken:-}" ]] || die "Dagen__BaseUrl is set, so set Dagen__ApiToken (its bearer token) too"
fi

# --- Secrets of this run ---------------------------------------------------------------------------------
random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
admin_token=${Gateway__AdminToken:-local-admin-$(random_hex 16)}
signing_secret=$(random_hex 16) # 32 hex digits, shaped like Slack's
bot_token=xoxb-local-$(random_hex 12)
dagen_token=${Dagen__ApiToken:-local-dagen-$(random_hex 16)}
key_id=local$(date +%Y%m%d%H%M%S)
key=$(head -c 32 /dev/urandom | base64)

# --- Ports must be free: another run (or another engineer's silo) may hold them --------------------------
in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
check_port() {
  if in_use "$2"; then
    die "port $2 ($1) is already in use on 127.0.0.1; stop what holds it or choose another with $3=<port>"
  fi
}
check_port gateway "$gateway_port" GATEWAY_PORT
check_port silo "$silo_port" SILO_PORT
check_port "silo gateway" "$silo_gateway_port" SILO_GATEWAY_PORT
if $slack_standin; then check_port "Slack stand-in" "$slack_port" SLACK_PORT; fi
if $dagen_standin; then check_port "Dagen stand-in" "$dagen_port" DAGEN_PORT; fi

# --- Build once -------------------------------------------------------------------------------------------
if $build; then
  say "building ($configuration)…"
  dotnet build "$root/Dagen.Orleans.sln" -c "$configuration" -nologo -v quiet || die "the build failed"
fi
for program in "$(bin Silo Dagen.Silo.dll)" "$(bin Gateway Dagen.Gateway.dll)" "$(bin StandIns Dagen.StandIns.dll)"; do
  [[ -f "$program" ]] || die "$program is missing; run without --no-build"
done
mkdir -p "$logs"

# --- Start, and stop everything on the way out ------------------------------------------------------------
pids=()
names=()
stop_all() {
  trap - EXIT INT TERM
  if ((${#pids[@]} > 0)); then
    say "stopping ${names[*]}"
    kill "${pids[@]}" 2> /dev/null || true
    wait "${pids[@]}" 2> /dev/null || true
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# Each process starts straight from this shell (no 'cd … &&' in front), so $! is its own pid.
start() {
  local name=$1 log="$logs/$1.log"
  shift
  "$@" > "$log" 2>&1 &
  pids+=("$!")
  names+=("$name")
  say "started $name (pid $!, log .local/logs/$name.log)"
}

wait_ready() {
  local name=$1 url=$2 pid=$3 label=${4:-$1} i
  for ((i = 0; i < 240; i++)); do
    if curl --noproxy '*' -fsS -o /dev/null --max-time 2 "$url" 2> /dev/null; then
      say "$label is ready"
      return 0
    fi
    if ! kill -0 "$pid" 2> /dev/null; then
      tail -n 20 "$logs/$name.log" >&2 || true
      die "$name stopped while starting; see .local/logs/$name.log"
    fi
    sleep 0.5
  done
  die "$name was not ready after 2 minutes; see .local/logs/$name.log"
}

slack_api=${Slack__ApiBaseUrl:-http://127.0.0.1:$slack_port/api/}
dagen_url=${Dagen__BaseUrl:-http://127.0.0.1:$dagen_port}
agents_url=${Agents__BaseUrl:-}
if $dagen_standin && [[ -z "$agents_url" ]]; then agents_url=http://127.0.0.1:$dagen_port/v1; fi

if $slack_standin || $dagen_standin; then
  standin_flags=()
  $slack_standin || standin_flags+=(--no-slack)
  $dagen_standin || standin_flags+=(--no-dagen)
  start standins env \
    LocalSlack__Url="http://127.0.0.1:$slack_port" \
    LocalSlack__BotToken="$bot_token" \
    LocalSlack__SigningSecret="$signing_secret" \
    LocalDagen__Url="http://127.0.0.1:$dagen_port" \
    LocalDagen__ApiToken="$dagen_token" \
    dotnet "$(bin StandIns Dagen.StandIns.dll)" serve "${standin_flags[@]}"
  standins_pid=$!
fi

# The integration itself is configured only through environment variables, the same names as in production.
common_env=(
  Orleans__SiloPort="$silo_port"
  Orleans__GatewayPort="$silo_gateway_port"
  Gateway__WebhookHosts__0=hooks.slack.com
  Gateway__WebhookHosts__1=127.0.0.1
)
silo_env=(
  Slack__ApiBaseUrl="$slack_api"
  Dagen__BaseUrl="$dagen_url"
  Dagen__ApiToken="$dagen_token"
  Secrets__ActiveKeyId="$key_id"
  Secrets__Keys__"$key_id"="$key"
)
[[ -n "$agents_url" ]] && silo_env+=(Agents__BaseUrl="$agents_url")

start silo env "${common_env[@]}" "${silo_env[@]}" dotnet "$(bin Silo Dagen.Silo.dll)"
silo_pid=$!
start gateway env "${common_env[@]}" \
  ASPNETCORE_URLS="http://127.0.0.1:$gateway_port" \
  Gateway__AdminToken="$admin_token" \
  Gateway__PublicBaseUrl="${Gateway__PublicBaseUrl:-http://127.0.0.1:$gateway_port}" \
  dotnet "$(bin Gateway Dagen.Gateway.dll)"
gateway_pid=$!

if $slack_standin; then
  wait_ready standins "http://127.0.0.1:$slack_port/healthz" "$standins_pid" "local Slack workspace"
fi
if $dagen_standin; then
  wait_ready standins "http://127.0.0.1:$dagen_port/healthz" "$standins_pid" "local Dagen"
fi
wait_ready gateway "http://127.0.0.1:$gateway_port/readyz" "$gateway_pid"
kill -0 "$silo_pid" 2> /dev/null || die "the silo stopped; see .local/logs/silo.log"

# --- The local notification channel, as a person would create it in Workflow Settings --------------------
standins_dll=$(bin StandIns Dagen.StandIns.dll)
[[ "$PWD" == "$root" ]] && standins_dll=${standins_dll#"$root"/}
say_cmd="dotnet $standins_dll say"
# say talks to the workspace on its default port unless told otherwise.
[[ "$slack_port" == 5090 ]] || say_cmd+=" --workspace http://127.0.0.1:$slack_port"
connected=false
if $slack_standin; then
  if env Gateway__AdminToken="$admin_token" \
    Gateway__PublicBaseUrl="${Gateway__PublicBaseUrl:-http://127.0.0.1:$gateway_port}" \
    LocalSlack__Url="http://127.0.0.1:$slack_port" \
    LocalSlack__BotToken="$bot_token" \
    LocalSlack__SigningSecret="$signing_secret" \
    dotnet "$(bin StandIns Dagen.StandIns.dll)" connect \
    --gateway "http://127.0.0.1:$gateway_port" --workspace "http://127.0.0.1:$slack_port" --name local-dev \
    | sed 's/^/run-local: /'; then
    connected=true
  fi
fi

echo
if $slack_standin && $connected; then
  cat << EOF
Ready. Talk to the bot as a Slack user would:
  page:  http://127.0.0.1:$slack_port/   (choose alice, bob or carol; type @dagen help)
  shell: $say_cmd --as alice "@dagen help"
         $say_cmd --as alice "@dagen list"
         $say_cmd --as alice "@dagen run daily-sync"
         $say_cmd --as bob "@dagen status"
         $say_cmd --as carol "@dagen Create an ingestion pipeline from our Postgres to BigQuery for the users table"
         $say_cmd --as carol "@dagen What was that pipeline ID again?"
EOF
elif $slack_standin; then
  cat << EOF
WARNING: the local channel could not be set up (see the line above), so mentions typed on the page are
recorded but not answered. The stand-ins and the integration are still running.
  page:  http://127.0.0.1:$slack_port/
EOF
else
  cat << EOF
Slack is real (Slack__ApiBaseUrl is set): create the channel with your bot token and signing secret through
POST http://127.0.0.1:$gateway_port/api/channels (bearer Gateway__AdminToken), and give Slack a public URL
for the Event Subscription (see docs/local-development.md).
EOF
fi
if $dagen_standin; then echo "  Dagen: http://127.0.0.1:$dagen_port/   (sample workflows and runs; stand-in)"; fi
echo "  logs:  .local/logs/   — press Ctrl-C to stop everything."

# Run until Ctrl-C, or until one of the processes stops by itself.
set +e
wait -n "${pids[@]}"
status=$?
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2> /dev/null; then
    say "${names[$i]} stopped (exit $status); see .local/logs/${names[$i]}.log"
  fi
done
exit 1
