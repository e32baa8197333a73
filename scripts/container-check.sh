#!/usr/bin/env bash
# Proves the Dockerfile builds and runs, on a machine that cannot pull any base image.
#
# No registry is reachable for images here, so the Dockerfile's `${NODE_IMAGE}` is replaced by a LOCAL
# base image assembled from the host (`buildah from scratch`): the host's node binary plus the shared
# libraries ldd lists, npm (+ bin shims), /bin/sh (dash; RUN and HEALTHCHECK use shell form),
# /usr/bin/env (npm's and tsc's shebangs), CA certificates, and /etc/passwd + /etc/group with a `node`
# user (uid 1000) like the official node images. The Dockerfile itself is built unchanged with
# `buildah bud --isolation=chroot --build-arg NODE_IMAGE=localhost/node-local:20`; `npm ci` inside
# the build reaches the npm registry over the host network (chroot isolation shares it); if the host
# trusts an extra CA for that (NODE_EXTRA_CA_CERTS), the stand-in base image trusts it as well.
#
# Then it runs the image the way a container runtime would (entrypoint/CMD, USER, ENV, WORKDIR from
# the image config, via `buildah run`) and checks: non-root uid, GET /health = 200, the HEALTHCHECK
# command exits 0, and a real hook call (fixtures/requests/cm-candidate.json) returns the
# chronic-migraine-candidate card. Everything it created is removed on exit.
#
# `--format docker`: the OCI image format has no HEALTHCHECK; buildah would silently drop it.
#
# Needs root (buildah) and buildah (installed with apt-get when missing).
# Usage: scripts/container-check.sh        (CHECK_REUSE_IMAGE=1 skips both builds: re-run the checks only)
# The two images stay in local storage for inspection; each run replaces them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_IMAGE="localhost/node-local:20"
IMAGE="localhost/migraine-botox-cds:check"
PORT="${CHECK_PORT:-18080}"
AS_OF="2026-11-15"
STARTED=$(date +%s)
FAILED=0
CONTAINERS=()
SERVER_PID=""
WORK="$(mktemp -d)"

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILED=1; }
die() { fail "$*"; exit 1; }

# The container's process is a descendant of the `buildah run` process we started.
node_pid_under() {
  local pid child
  for child in $(ps -o pid= --ppid "$1"); do
    if [[ "$(ps -o comm= -p "$child")" == node ]]; then echo "$child"; return; fi
    pid=$(node_pid_under "$child"); [[ -n "$pid" ]] && { echo "$pid"; return; }
  done
  return 0 # not found: empty output (a non-zero status would trip set -e in the caller)
}

cleanup() {
  local status=$?
  [[ $status != 0 ]] && FAILED=1
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    local node_pid
    node_pid=$(node_pid_under "$SERVER_PID")
    [[ -n "$node_pid" ]] && kill "$node_pid" 2>/dev/null
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  for c in "${CONTAINERS[@]}"; do buildah rm "$c" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
  echo "container check finished in $(( $(date +%s) - STARTED )) s: $([[ $FAILED == 0 ]] && echo PASS || echo FAIL)"
}
trap cleanup EXIT

[[ $(id -u) == 0 ]] || die "run as root (buildah needs it here)"
if ! command -v buildah >/dev/null; then
  echo "installing buildah…"
  apt-get install -y buildah >/dev/null || die "apt-get install buildah failed"
fi

# ---- 1. Local base image from the host's node -------------------------------------------------
build_base() {
  local node npm_dir ctr mnt lib
  node="$(readlink -f "$(command -v node)")"
  npm_dir="$(readlink -f "$(dirname "$node")/../lib/node_modules/npm")"
  [[ -d "$npm_dir" ]] || die "npm not found next to $node"
  ctr=$(buildah from scratch)
  CONTAINERS+=("$ctr")
  mnt=$(buildah mount "$ctr")
  mkdir -p "$mnt"/{usr/local/bin,usr/local/lib/node_modules,usr/bin,bin,etc/ssl/certs,tmp,root,home/node,app}
  chmod 1777 "$mnt/tmp"
  cp "$node" "$mnt/usr/local/bin/node"
  cp -a "$npm_dir" "$mnt/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
  cp "$(readlink -f /bin/sh)" "$mnt/bin/sh"
  cp "$(readlink -f /usr/bin/env)" "$mnt/usr/bin/env"
  # Every library the copied binaries load, at the same path (keeps the dynamic loader happy).
  for lib in $(ldd "$node" /bin/sh /usr/bin/env | awk '/=>/ {print $3} /^[ \t]+\// {print $1}' | sort -u); do
    mkdir -p "$mnt$(dirname "$lib")"
    cp -L "$lib" "$mnt$lib"
  done
  cp -L /etc/ssl/certs/ca-certificates.crt "$mnt/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$mnt/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\n' >"$mnt/etc/group"
  printf 'hosts: files dns\n' >"$mnt/etc/nsswitch.conf"
  chown 1000:1000 "$mnt/home/node"
  buildah umount "$ctr" >/dev/null
  # The host's CA bundle is copied above; when the host trusts extra CAs through NODE_EXTRA_CA_CERTS
  # (e.g. a TLS-inspecting egress proxy in front of the npm registry), the stand-in base image does
  # too, or `npm ci` in the build fails with SELF_SIGNED_CERT_IN_CHAIN. A real node:20 base on a
  # normal network needs none of this.
  local extra_ca=()
  [[ -n "${NODE_EXTRA_CA_CERTS:-}" ]] && extra_ca=(--env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_VERSION="$(node -v)" "${extra_ca[@]}" --cmd node "$ctr"
  buildah commit --quiet --rm "$ctr" "$BASE_IMAGE" >/dev/null
  CONTAINERS=("${CONTAINERS[@]/$ctr}")
}
if [[ "${CHECK_REUSE_IMAGE:-}" == 1 ]] && buildah inspect --type image "$IMAGE" >/dev/null 2>&1; then
  echo "CHECK_REUSE_IMAGE=1: reusing $IMAGE"
else
# Replace, don't accumulate: an older image under our own tags would otherwise be left dangling.
buildah rmi "$IMAGE" "$BASE_IMAGE" >/dev/null 2>&1 || true
t0=$(date +%s)
build_base && pass "local base image $BASE_IMAGE from host node $(node -v) ($(( $(date +%s) - t0 )) s)"

# ---- 2. Build the Dockerfile unchanged ------------------------------------------------------------
t0=$(date +%s)
if buildah bud --isolation=chroot --layers=false --format docker --build-arg NODE_IMAGE="$BASE_IMAGE" -t "$IMAGE" "$ROOT" >"$WORK/build.log" 2>&1; then
  pass "buildah bud Dockerfile → $IMAGE ($(( $(date +%s) - t0 )) s)"
else
  tail -40 "$WORK/build.log"
  die "buildah bud failed (log above)"
fi
fi
buildah inspect --type image "$IMAGE" >"$WORK/image.json"
# Reads one field of the image configuration (Docker format keeps HEALTHCHECK).
image_field() { node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1])).Docker.config; const v=c[process.argv[2]]; process.stdout.write(v===undefined?"":JSON.stringify(v))' "$WORK/image.json" "$1"; }

# ---- 3. Run it as a container runtime would ----------------------------------------------------
ctr=$(buildah from "$IMAGE")
CONTAINERS+=("$ctr")
uid=$(buildah run --isolation chroot "$ctr" -- node -e 'process.stdout.write(String(process.getuid()))')
if [[ "$uid" =~ ^[0-9]+$ && "$uid" != 0 ]]; then pass "runs as non-root (uid $uid, USER node)"; else fail "runs as uid '$uid'"; fi

cmd=$(image_field Cmd)
# Run exactly the image's CMD (flags included), as a container runtime would.
mapfile -d '' cmd_args < <(node -e 'for (const a of JSON.parse(process.argv[1])) process.stdout.write(a + "\0")' "$cmd")
[[ "${cmd_args[0]:-}" == node && " ${cmd_args[*]} " == *" dist/server.js "* ]] && pass "CMD is $cmd" || fail "unexpected CMD $cmd"

buildah run --isolation chroot --env CDS_AUTH=off --env PORT="$PORT" --env CDS_CLOCK_DATE="$AS_OF" \
  "$ctr" -- "${cmd_args[@]}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

healthy=""
for _ in $(seq 1 50); do
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health" || true)" == 200 ]]; then healthy=yes; break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.2
done
if [[ -n "$healthy" ]]; then pass "GET /health = 200 on port $PORT"; else cat "$WORK/server.log"; die "service did not become healthy"; fi

# The image's own HEALTHCHECK command, run inside the container (shell form, as the runtime runs it).
hc=$(image_field Healthcheck)
hc_cmd=$(node -e 'const t=JSON.parse(process.argv[1]||"{}").Test||[]; if(t[0]!=="CMD-SHELL") process.exit(2); process.stdout.write(t[1])' "$hc") \
  || die "HEALTHCHECK missing or not shell form: $hc"
if buildah run --isolation chroot --env PORT="$PORT" "$ctr" -- /bin/sh -c "$hc_cmd"; then
  pass "HEALTHCHECK command exits 0"
else
  fail "HEALTHCHECK command failed: $hc_cmd"
fi

response=$(curl -s -X POST "http://127.0.0.1:$PORT/cds-services/chronic-migraine-botox" \
  -H 'content-type: application/json' --data-binary @"$ROOT/fixtures/requests/cm-candidate.json")
if grep -q '"chronic-migraine-candidate"' <<<"$response"; then
  pass "hook call with fixtures/requests/cm-candidate.json → chronic-migraine-candidate card"
else
  echo "$response" | head -c 1000; echo
  fail "hook call did not return the chronic-migraine-candidate card"
fi

if grep -q '"level":[56]0' "$WORK/server.log"; then
  grep '"level":[56]0' "$WORK/server.log" | head -5
  fail "the service logged errors"
fi

# `buildah run` does not forward signals: SIGTERM goes to the container's node process itself, as a
# runtime's `stop` would deliver it.
NODE_PID=$(node_pid_under "$SERVER_PID")
[[ -n "$NODE_PID" ]] && kill -TERM "$NODE_PID" || fail "container node process not found"
for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
grep -q 'shutdown complete' "$WORK/server.log" && pass "graceful shutdown on SIGTERM" || fail "no graceful shutdown on SIGTERM"

# And the HEALTHCHECK must notice a dead service, or it proves nothing.
if buildah run --isolation chroot --env PORT="$PORT" "$ctr" -- /bin/sh -c "$hc_cmd" 2>/dev/null; then
  fail "HEALTHCHECK command exits 0 with the service stopped"
else
  pass "HEALTHCHECK command fails once the service is stopped"
fi

exit "$FAILED"
