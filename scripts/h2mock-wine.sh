#!/bin/sh
# h2mock-wine.sh - the launcher docts.exe uses for h2mock when it runs under
# Wine (make conformance-wine passes "Z:\bin\sh Z:\...\h2mock-wine.sh" as
# --mock).  A Linux program started from a Wine process gets neither its
# standard handles nor a process handle, so docts.exe's helper protocol is
# followed through files (conformance/platform_win.c): h2mock's output goes
# to $DOCTS_HELPER_OUT, it is stopped when $DOCTS_HELPER_RUN disappears,
# and $DOCTS_HELPER_OUT is removed once it has ended.  Windows paths among
# the arguments (Z:\... and drive letters of $WINEPREFIX) become Linux
# paths.  $DOCTS_H2MOCK is the Linux h2mock; $DOCTS_WINE_PIDS, when set,
# collects the pids so the make target can stop what a killed run left.
set -u
unix_path() {
  case "$1" in
    [A-Za-z]:\\*)
      drive=$(printf '%s' "$1" | cut -c1 | tr 'A-Z' 'a-z')
      rest=$(printf '%s' "$1" | cut -c3- | tr '\\' '/')
      if [ "$drive" = z ]; then printf '%s' "$rest"
      else printf '%s/dosdevices/%s:%s' "${WINEPREFIX:?}" "$drive" "$rest"; fi ;;
    *) printf '%s' "$1" ;;
  esac
}
out=$(unix_path "${DOCTS_HELPER_OUT:?}")
run=$(unix_path "${DOCTS_HELPER_RUN:?}")
first=1
for a in "$@"; do
  if [ $first = 1 ]; then set --; first=0; fi
  set -- "$@" "$(unix_path "$a")"
done
"${DOCTS_H2MOCK:?}" "$@" > "$out" 2>&1 &
pid=$!
[ -n "${DOCTS_WINE_PIDS:-}" ] && echo "$pid" >> "$DOCTS_WINE_PIDS"
while kill -0 "$pid" 2>/dev/null && [ -e "$run" ]; do
  sleep 0.05
done
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -f "$out"
