#!/usr/bin/env bash
# Builds tree-sitter-pf.wasm from src/parser.c with Debian's clang-14 and wasm-ld-14 (no emscripten
# needed). The result is a dynamically linkable side module that web-tree-sitter 0.27 loads; the
# C library functions the parser calls are left for web-tree-sitter's runtime to supply.
# Needs: apt-get install -y clang-14 lld-14 wasi-libc
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/tree-sitter-pf.wasm}
linkdir=$(mktemp -d); trap 'rm -rf "$linkdir"' EXIT
ln -s "$(command -v wasm-ld-14)" "$linkdir/wasm-ld"   # clang calls the linker by this name
PATH=$linkdir:$PATH clang-14 --target=wasm32-unknown-emscripten \
  -nostdlibinc -isystem /usr/include/wasm32-wasi -I "$here/src" \
  -fPIC -Os -fvisibility=hidden -nostdlib \
  -Wl,--shared -Wl,--experimental-pic -Wl,--no-entry -Wl,--allow-undefined \
  -Wl,--export=tree_sitter_pf \
  -o "$out" "$here/src/parser.c"
echo "built $out ($(stat -c %s "$out") bytes)"
