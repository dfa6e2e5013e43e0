#!/bin/sh
# fake-mock.sh - stands in for h2mock in the runner's own tests: records its
# arguments in the --log file, announces a fixed address like h2mock does
# and waits to be stopped.
log=/dev/null
prev=
for a in "$@"; do
  [ "$prev" = "--log" ] && log=$a
  prev=$a
done
echo "$*" > "$log"
echo "listening on 127.0.0.1:4321"
exec sleep 600
