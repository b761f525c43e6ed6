#!/usr/bin/env bash
# Installs what the lab's tests need on Debian 12: Chromium (its SwiftShader Vulkan
# driver gives WebGPU to both Node and the browser, and Playwright drives it),
# the Vulkan loader, Debian's PyTorch (the PyTorch export's tests run it on the CPU),
# and the npm packages from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -e /usr/lib/chromium/vk_swiftshader_icd.json ] || need_apt+=(chromium)
ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1' || need_apt+=(libvulkan1)
/usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null || need_apt+=(python3-torch python3-torchvision)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need_apt[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium libvulkan1 fonts-dejavu-core python3-torch python3-torchvision >/dev/null
fi
npm ci --no-audit --no-fund
echo "setup: done (chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'))"
