#!/usr/bin/env bash
# Installs the system packages trienkhai needs, once.
#
#   scripts/system-deps.sh        what the tests need (make test): PostgreSQL, Chromium,
#                                 poppler, gettext, wrk (the load benchmark), and all of
#                                 the demo's below
#   scripts/system-deps.sh demo   what running it needs (make demo): LibreOffice Writer
#                                 (.docx to .pdf for formal documents), the Liberation
#                                 fonts the documents are set in, libcairo2 (charts drawn
#                                 from SVG, decision 0010)
#
# The demo goes on without them if they cannot be installed (no root, no sudo, no
# network): it says so, and every PDF then answers 503 converter_unavailable.
set -euo pipefail
runtime=(libreoffice-writer-nogui fonts-liberation2 libcairo2)
if [ "${1:-}" = "demo" ]; then
  wanted=("${runtime[@]}")
else
  wanted=(postgresql chromium poppler-utils gettext wrk "${runtime[@]}")
fi
need=()
for pkg in "${wanted[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if [ "${1:-}" = "demo" ] && ! sudo -n true 2>/dev/null; then
    echo "Chưa cài được / cannot install (no root): ${need[*]}; PDFs will answer 503." >&2
    exit 0
  fi
  sudo="sudo"
fi
echo "Installing system packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}" >/dev/null
