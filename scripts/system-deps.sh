#!/usr/bin/env bash
# Installs the system packages the tests need, once: PostgreSQL, Chromium, fonts, poppler,
# gettext (for the translation catalogues), wrk (the load benchmark), LibreOffice Writer
# (.docx to .pdf for formal documents), libcairo2 (charts drawn from SVG, decision 0010).
set -euo pipefail
need=()
for pkg in postgresql chromium fonts-liberation2 poppler-utils gettext wrk libreoffice-writer-nogui libcairo2; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing system packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}" >/dev/null
