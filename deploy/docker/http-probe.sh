#!/usr/bin/env bash
# Docker healthchecks without a second runtime in the container's memory limit: bash's /dev/tcp only.
#   http-probe http <path> [port]   GET http://127.0.0.1:<port><path> answers 2xx (port default
#                                   $MANAGEMENT_PORT, where a service keeps its probes off its public
#                                   port, else $PORT)
#   http-probe tcp <port>           something accepts connections on 127.0.0.1:<port>
# Exits 0 when healthy, 1 otherwise; the healthcheck's own timeout bounds a server that never answers.
set -u
mode=${1:?usage: http-probe http <path> [port] | tcp <port>}
if [[ $mode == tcp ]]; then
  exec 3<>"/dev/tcp/127.0.0.1/${2:?port}" || exit 1
  exit 0
fi
path=${2:?path}
port=${3:-${MANAGEMENT_PORT:-${PORT:?no port given and PORT is not set}}}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ $status =~ ^HTTP/1\.[01]\ 2[0-9][0-9] ]]
