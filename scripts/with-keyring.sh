#!/bin/sh
# Runs a command inside a private D-Bus session with a throwaway, unlocked gnome-keyring, so the
# keychain tests exercise a real Secret Service without touching the user's own keyring.
# ORGDECK_NO_KEYRING=1 runs the command bare (those tests then skip); anything else missing fails
# loudly instead of skipping.
set -eu
if [ "${ORGDECK_NO_KEYRING:-}" = 1 ]; then exec "$@"; fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: $tool is missing (apt-get install dbus gnome-keyring), or set ORGDECK_NO_KEYRING=1 to skip the keychain tests" >&2
    exit 1
  fi
done
keyrings=$(mktemp -d)
trap 'rm -rf "$keyrings"' EXIT
KEYRINGS="$keyrings" dbus-run-session -- sh -c '
  printf orgdeck-test | XDG_DATA_HOME="$KEYRINGS" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' with-keyring "$@"
