#!/bin/bash
# The base image's entrypoint (run by tini, which reaps zombies and forwards signals):
# runs the start-up hooks of /etc/pipeline/entrypoint.d, then becomes the command.
set -euo pipefail
for hook in /etc/pipeline/entrypoint.d/*.sh; do
  [ -e "$hook" ] || continue
  . "$hook"
done
exec "$@"
