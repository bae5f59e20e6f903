#!/usr/bin/env bash
# Installs the system libraries afscan builds against (Debian/Ubuntu), only when missing:
# libzstd-dev, zlib1g-dev (gzip inputs), libvectorscan-dev (Hyperscan API), libsimdjson-dev, and the
# zstd/pzstd CLIs used by tests.
set -euo pipefail
need=()
pkg-config --exists libzstd 2>/dev/null || need+=(libzstd-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
pkg-config --exists libhs 2>/dev/null || need+=(libvectorscan-dev)
[ -f /usr/include/simdjson.h ] || need+=(libsimdjson-dev)
command -v zstd >/dev/null 2>&1 && command -v pzstd >/dev/null 2>&1 || need+=(zstd)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  echo "afscan: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
