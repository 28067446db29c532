#!/usr/bin/env bash
# Pipeline's bootstrapper: find dotnet, compile the build project only when build/** changed, run it.
set -euo pipefail

# Builtins where a process would do (dirname, cut, cat): each exec costs milliseconds on every start.
SCRIPT="${BASH_SOURCE[0]}"
[[ "$SCRIPT" == */* ]] && SCRIPT_DIR="${SCRIPT%/*}" || SCRIPT_DIR=.
ROOT="$(cd "$SCRIPT_DIR" && pwd)"
PROJECT="$ROOT/build/_build.csproj"
OUTPUT="$ROOT/build/bin/Release/net10.0"
ASSEMBLY="$OUTPUT/_build.dll"
STAMP="$ROOT/.nuke/temp/build.stamp"

if ! command -v dotnet >/dev/null 2>&1; then
  for candidate in "${DOTNET_ROOT:-}" "$HOME/.dotnet" /usr/share/dotnet /usr/lib/dotnet; do
    if [[ -n "$candidate" && -x "$candidate/dotnet" ]]; then PATH="$candidate:$PATH"; break; fi
  done
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK 10 is not installed. Install it, then run ./build.sh again:" >&2
  echo "  Debian/Ubuntu: sudo apt-get install -y dotnet-sdk-10.0   (from Microsoft's package feed)" >&2
  echo "  any Linux:     curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 10.0 && export PATH=\"\$HOME/.dotnet:\$PATH\"" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PIPELINE_ROOT="$ROOT"

# A stamp over the path, size and modification time of every file of the build project (sources, embedded templates) and
# the shared props: a stat of each file, not a read, so a warm start stays cheap. An edit, a checkout, an added or a
# removed file changes it, as make's and ccache's own checks would see.
hash="$(cd "$ROOT" && find build Directory.Build.props \( -path build/bin -o -path build/obj \) -prune -o -type f -printf '%p %s %T@\n' \
        | LC_ALL=C sort | sha256sum)"
hash="${hash%% *}"

stale() {
  local stamped=""
  [[ -f "$STAMP" ]] && read -r stamped < "$STAMP"
  [[ ! -f "$ASSEMBLY" || "$stamped" != "$hash" ]]
}
if stale; then
  # One compile at a time: builds started together (tests start several) wait, then find the stamp fresh.
  mkdir -p "$(dirname "$STAMP")"
  exec 9>"$STAMP.lock"
  command -v flock >/dev/null 2>&1 && flock 9
fi
if stale; then
  echo "Compiling the build project (build/** changed)…" >&2
  log="$(mktemp)"
  if ! dotnet build "$PROJECT" -c Release --nologo -v quiet -clp:NoSummary >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "error: the build project does not compile (see above)." >&2
    exit 2
  fi
  rm -f "$log"
  mkdir -p "$(dirname "$STAMP")"
  echo "$hash" > "$STAMP"
fi
exec 9>&-

exec dotnet "$ASSEMBLY" "$@"
