#!/bin/sh
# DNS-01 hook for Pipeline's ACME client against pebble-challtestsrv (local environment and tests).
# Usage: acme-dns-challtestsrv.sh <management-url> set|clear <_acme-challenge.name.> <txt-value>
set -eu
url=${1:?management URL, e.g. http://127.0.0.1:22055}
action=${2:?set or clear}
name=${3:?record name}
value=${4:-}
case "$action" in
  set)   body=$(printf '{"host":"%s","value":"%s"}' "$name" "$value"); path=set-txt ;;
  clear) body=$(printf '{"host":"%s"}' "$name"); path=clear-txt ;;
  *) echo "unknown action '$action' (set or clear)" >&2; exit 2 ;;
esac
curl --silent --show-error --fail --max-time 10 -X POST -d "$body" "$url/$path"
echo "challtestsrv: $action TXT $name"
