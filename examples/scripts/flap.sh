#!/bin/sh
# Fails every other run: exit 1, then 0, then 1, … so the example's rate and recovery
# rules have something to do. The state is one file per user under $TMPDIR (or /tmp).
state="${TMPDIR:-/tmp}/warden-example-flap.$(id -u)"
if [ -e "$state" ]; then
  rm -f "$state"
  echo "flap: fine this time"
  exit 0
fi
: > "$state"
echo "flap: failing this time" >&2
exit 1
