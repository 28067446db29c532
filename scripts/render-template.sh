#!/bin/sh
# render-template SOURCE DESTINATION: replaces ${VAR} and ${VAR:-default} in SOURCE with the environment's values.
# perl-base is part of every Debian (even minbase), so this needs nothing more.
set -eu
perl -pe 's/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/defined $ENV{$1} && length $ENV{$1} ? $ENV{$1} : (defined $2 ? $2 : "")/ge' "$1" > "$2.tmp"
mv "$2.tmp" "$2"
