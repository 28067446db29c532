#!/usr/bin/env bash
# Pipeline's bootstrapper: find dotnet, compile the build project only when build/** changed, run it.
set -euo pipefail

# Builtins where a process would do (dirname, cut, cat): each exec costs milliseconds on every start.
SCRIPT="${BASH_SOURCE[0]}"
[[ "$SCRIPT" == */* ]] && SCRIPT_DIR="${SCRIPT%/*}" || SCRIPT_DIR=.
# The root as `cd … && pwd` would print it; without that subshell where the path is already that ($PWD for ./build.sh,
# an absolute path with no `.`, `..` or `//` in it).
if [[ "$SCRIPT_DIR" == . ]]; then ROOT="$PWD"
elif [[ "$SCRIPT_DIR" == /* && "$SCRIPT_DIR/" != *"/./"* && "$SCRIPT_DIR/" != *"/../"* && "$SCRIPT_DIR" != *//* ]]; then
  ROOT="${SCRIPT_DIR%/}"
  [[ -n "$ROOT" ]] || ROOT=/
else ROOT="$(cd "$SCRIPT_DIR" && pwd)"
fi
PROJECT="$ROOT/build/_build.csproj"
# The build, published native (NativeAOT: one executable, no runtime start-up and no JIT) where a C toolchain links it,
# else ReadyToRun (precompiled for this machine's runtime). PIPELINE_NATIVE=0 asks for ReadyToRun: a shorter compile
# while editing the build (1 to 2 minutes against 3 to 5 on 2 cores), slower commands.
OUTPUT="$ROOT/build/bin/Release/net10.0/publish"
STAMP="$ROOT/.nuke/temp/build.stamp"
if [[ "${PIPELINE_NATIVE:-1}" != 0 ]] && { command -v clang || command -v gcc; } >/dev/null 2>&1; then WANTED=native; else WANTED=r2r; fi

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

# A stamp over the content of every file of the build project (sources, embedded templates) and the shared props, so a
# fresh clone whose compiled build came from CI's cache (keyed by the same content) finds it fresh, whatever the mtimes.
# In a git checkout the index already holds each file's blob hash: one `git ls-files` lists them, and tags (not H) the
# files whose content differs from the index or that git does not track; only then are those files' contents hashed.
# Outside git (or where git refuses the checkout): path, size and modification time, a stat of each file.
SPECS=(build Directory.Build.props)
# The listing as the index would read with every change staged, so equal content gives one stamp whether staged or not:
# a changed file's line gets its worktree blob, a deleted file's line goes, an untracked file's line joins in path order.
worktree_listing() {
  local LC_ALL=C line path paths=() untracked=() present=() hashes=() i=0 j=0
  local -A blob=() seen=()
  mapfile -d '' -t paths < <(git --no-optional-locks diff --name-only -z -- "${SPECS[@]}")
  mapfile -d '' -t untracked < <(git ls-files -z -o --exclude-standard -- "${SPECS[@]}")
  for path in "${paths[@]}" "${untracked[@]}"; do [[ -f $path ]] && present+=("$path"); done
  if (( ${#present[@]} )); then mapfile -t hashes < <(printf '%s\n' "${present[@]}" | git hash-object --stdin-paths); fi
  for path in "${present[@]}"; do blob[$path]=${hashes[i]}; i=$((i + 1)); done
  for path in "${paths[@]}"; do [[ -v blob[$path] ]] || blob[$path]=deleted; done
  while IFS= read -r line; do
    [[ $line == "H "* ]] || continue
    path=${line#*$'\t'}
    while (( j < ${#untracked[@]} )) && [[ ${untracked[j]} < $path ]]; do
      printf 'H 100644 %s 0\t%s\n' "${blob[${untracked[j]}]}" "${untracked[j]}"; seen[${untracked[j]}]=1; j=$((j + 1))
    done
    if [[ ! -v blob[$path] ]]; then printf '%s\n' "$line"; continue; fi
    seen[$path]=1
    [[ ${blob[$path]} == deleted ]] || printf 'H %s %s 0\t%s\n' "${line:2:6}" "${blob[$path]}" "$path"
  done <<< "$1"
  # What the index lines did not name (the last untracked files; a path git quotes) still counts, after them.
  for path in "${!blob[@]}"; do [[ -v seen[$path] ]] || printf 'H 100644 %s 0\t%s\n' "${blob[$path]}" "$path"; done \
    | LC_ALL=C sort -t $'\t' -k 2
}
# `exec` in each $(…): bash would otherwise fork twice for a command with a redirection.
if [[ -e "$ROOT/.git" ]] && listing="$(exec git -C "$ROOT" ls-files -t -s -m -o --exclude-standard -- "${SPECS[@]}" 2>/dev/null)"; then
  [[ $'\n'$listing == *$'\n'[!H]* ]] && listing="$(cd "$ROOT" && worktree_listing "$listing")"
else
  listing="$(cd "$ROOT" && find "${SPECS[@]}" \( -path build/bin -o -path build/obj \) -prune -o -type f -printf '%p %s %T@\n' \
             | LC_ALL=C sort)"
fi
# The last listing hashed here and its hash, kept beside the stamp: the same listing has the same hash, so a start with
# nothing changed compares text (builtins) instead of starting sha256sum.
LISTED="$STAMP.listing"
previous=""
[[ -f "$LISTED" ]] && { IFS= read -r -d '' previous < "$LISTED" || true; }
if [[ "$previous" == *$'\n'* && "${previous#*$'\n'}" == "$listing"$'\n' ]]; then
  hash="${previous%%$'\n'*}"
else
  hash="$(exec sha256sum <<< "$listing")"
  hash="${hash%% *}"
  { mkdir -p "${LISTED%/*}" && printf '%s\n%s\n' "$hash" "$listing" > "$LISTED.$$" && mv -f "$LISTED.$$" "$LISTED"; } 2>/dev/null || true
fi

# The stamp: the hash, then the flavour compiled for it: native, r2r (asked for), or unlinked (native was asked for and
# did not link: ReadyToRun until build/** changes, rather than a failing native compile on every start).
stale() {
  local stamped=""
  [[ -f "$STAMP" ]] && read -r stamped < "$STAMP"
  FLAVOUR="${stamped#* }"
  [[ "${stamped%% *}" != "$hash" ]] && return 0
  [[ "$WANTED" == native && "$FLAVOUR" == r2r ]] || [[ "$WANTED" == r2r && "$FLAVOUR" == native ]] && return 0
  [[ "$FLAVOUR" == native && ! -x "$OUTPUT/_build" ]] || [[ "$FLAVOUR" != native && ! -f "$OUTPUT/_build.dll" ]]
}
publish() { # flavour, log
  dotnet publish "$PROJECT" -c Release -p:PipelineBootstrap=true -p:PipelineNative="$([[ $1 == native ]] && echo true || echo false)" \
    -o "$OUTPUT" --nologo -v quiet -clp:NoSummary >"$2" 2>&1
}
if stale; then
  # One compile at a time: builds started together (tests start several) wait, then find the stamp fresh.
  mkdir -p "$(dirname "$STAMP")"
  exec 9>"$STAMP.lock"
  command -v flock >/dev/null 2>&1 && flock 9
fi
if stale; then
  FLAVOUR="$WANTED"
  echo "Compiling the build project (build/** changed; $([[ $FLAVOUR == native ]] && echo "native, 3 to 5 minutes" || echo ReadyToRun))…" >&2
  log="$(mktemp)"
  if [[ "$FLAVOUR" == native ]] && ! publish native "$log"; then
    mv -f "$log" "$ROOT/.nuke/temp/native-compile.log"
    FLAVOUR=unlinked
  fi
  if [[ "$FLAVOUR" != native ]] && ! publish r2r "$log"; then
    cat "$log" >&2; rm -f "$log"
    echo "error: the build project does not compile (see above)." >&2
    exit 2
  fi
  rm -f "$log"
  # It compiles, so what failed was linking (a C toolchain without what NativeAOT needs): kept, and said once.
  [[ "$FLAVOUR" != unlinked ]] || echo "note: the native build did not link (.nuke/temp/native-compile.log); running the ReadyToRun build." >&2
  echo "$hash $FLAVOUR" > "$STAMP"
fi
exec 9>&-

if [[ "$FLAVOUR" == native ]]; then exec "$OUTPUT/_build" "$@"; fi
exec dotnet "$OUTPUT/_build.dll" "$@"
