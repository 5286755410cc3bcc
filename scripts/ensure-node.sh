#!/usr/bin/env sh
# Makes a Node.js 22 toolchain available and prints the directory to put first on PATH
# (empty when the machine's own `node` is already >= 22).
#
# When the machine's Node is older, it fetches the pinned `node-linux-<arch>` package (the
# official Node binary, republished on the npm registry) and the pinned `npm` package with the
# machine's own npm, from whatever registry npm is configured for, into `.tools/`.
set -eu

NODE_VERSION="${NODE_VERSION:-22.23.5}"
NPM_VERSION="${NPM_VERSION:-11.21.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"

major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$major" -ge 22 ]; then
  exit 0
fi

if [ -x "$BIN/node" ] && [ "$("$BIN/node" --version)" = "v$NODE_VERSION" ] && [ -f "$TOOLS/npm/bin/npm-cli.js" ]; then
  echo "$BIN"
  exit 0
fi

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "ensure-node: unsupported CPU $(uname -m); install Node.js 22 yourself" >&2; exit 1 ;;
esac
case "$(uname -s)" in
  Linux) ;;
  *) echo "ensure-node: only Linux binaries are fetched; install Node.js 22 yourself" >&2; exit 1 ;;
esac
command -v npm >/dev/null 2>&1 || { echo "ensure-node: npm is needed to fetch Node.js 22" >&2; exit 1; }

echo "ensure-node: machine node is v$major; fetching Node.js $NODE_VERSION and npm $NPM_VERSION into .tools/" >&2
rm -rf "$TOOLS/node" "$TOOLS/npm" "$BIN" "$TOOLS/dl"
mkdir -p "$TOOLS/dl" "$BIN"
(cd "$TOOLS/dl" && npm pack --silent "node-linux-$arch@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
mkdir -p "$TOOLS/node" "$TOOLS/npm"
tar -xzf "$TOOLS/dl/node-linux-$arch-$NODE_VERSION.tgz" -C "$TOOLS/node" --strip-components=1
tar -xzf "$TOOLS/dl/npm-$NPM_VERSION.tgz" -C "$TOOLS/npm" --strip-components=1
rm -rf "$TOOLS/dl"
ln -s ../node/bin/node "$BIN/node"
for tool in npm npx; do
  cat >"$BIN/$tool" <<SH
#!/usr/bin/env sh
exec "$BIN/node" "$TOOLS/npm/bin/$tool-cli.js" "\$@"
SH
  chmod +x "$BIN/$tool"
done
"$BIN/node" --version >&2
echo "$BIN"
