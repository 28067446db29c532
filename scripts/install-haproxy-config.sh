#!/bin/sh
# Installs the start-up hook that renders /etc/haproxy/haproxy.cfg from its template (images/haproxy).
set -eu
mkdir -p /run/haproxy /etc/pipeline/entrypoint.d
cat > /etc/pipeline/entrypoint.d/50-haproxy-config.sh <<'HOOK'
# HAPROXY_SERVERS="web1:8080 web2:8080" becomes one "server" line each, with health checks.
lines=""
i=0
for server in ${HAPROXY_SERVERS:-}; do
  i=$((i + 1))
  lines="${lines}    server app${i} ${server} check inter 2s fall 2 rise 2
"
done
export HAPROXY_SERVER_LINES="$lines"
render-template /etc/haproxy/haproxy.cfg.template /etc/haproxy/haproxy.cfg
haproxy -c -q -f /etc/haproxy/haproxy.cfg
HOOK
