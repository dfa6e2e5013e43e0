#!/usr/bin/env bash
# Checks that the Debian packages docts builds and tests with are present.
# As root it installs the missing ones; otherwise it prints the exact
# apt-get line and fails, so no target runs half-equipped.
# Usage: scripts/deps.sh [extra-package ...]
set -u
pkgs=(gcc make pkg-config openssl curl libcurl4-openssl-dev libnghttp2-dev
      libssl-dev libcunit1-dev libsqlite3-dev gcovr nghttp2-client
      libxml2-utils python3 nghttp2-server clang-14 libclang-rt-14-dev
      clang-format)
pkgs+=("$@")
missing=()
for p in "${pkgs[@]}"; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
  [ "$st" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "docts: missing Debian packages; run as root:" >&2
  echo "  $line" >&2
  exit 1
fi
echo "docts: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "${missing[@]}" >&2 ||
  { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; }
