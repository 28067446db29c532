#!/bin/bash
# http-check PORT PATH: exit 0 when http://127.0.0.1:PORT/PATH answers 2xx. Bash's /dev/tcp only: no curl needed.
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/${1:?port}"
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "${2:-/}" >&3
read -r -t 5 _ status _ <&3
[[ "$status" == 2* ]]
