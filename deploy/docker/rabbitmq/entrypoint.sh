#!/usr/bin/env bash
# Docker mode: RabbitMQ 3.10 from Debian's package, as local mode runs it. The broker's settings are
# rabbitmq.conf next to this script; the default user is appended from RABBITMQ_USER and
# RABBITMQ_PASSWORD, into the config file the image names (RABBITMQ_CONFIG_FILE, in the data volume),
# so no password is baked into an image or a committed file. Runs as the rabbitmq user.
set -euo pipefail
here=$(dirname "$0")

{
  cat "$here/rabbitmq.conf"
  printf 'default_user = %s\ndefault_pass = %s\n' \
    "${RABBITMQ_USER:?RABBITMQ_USER is required}" "${RABBITMQ_PASSWORD:?RABBITMQ_PASSWORD is required}"
} > "$RABBITMQ_CONFIG_FILE"
chmod 0600 "$RABBITMQ_CONFIG_FILE"

exec /usr/lib/rabbitmq/bin/rabbitmq-server
