# Shared by the bench scripts: image generation and timing. Source it; do not run it.

# generate WORK LAYERS MB: an OCI layout WORK/src:img with LAYERS layers of MB MB of random data, made by buildah
generate() {
  local work=$1 layers=$2 mb=$3 base=scratch ctr i
  local storage=(--root "$work/storage" --runroot "$work/run" --storage-driver vfs)
  echo "generating a ${layers}-layer image of ${mb} MB random files per layer with buildah" >&2
  for i in $(seq 1 "$layers"); do   # one commit per layer, each on top of the last
    ctr=$(buildah "${storage[@]}" from "$base")
    head -c "$((mb * 1024 * 1024))" /dev/urandom > "$work/file$i"
    buildah "${storage[@]}" copy "$ctr" "$work/file$i" "/data/file$i" >/dev/null
    buildah "${storage[@]}" commit -q "$ctr" bench-image >/dev/null
    rm -f "$work/file$i"
    base=localhost/bench-image
  done
  skopeo --insecure-policy copy -q "containers-storage:[vfs@$work/storage+$work/run]localhost/bench-image:latest" \
    "oci:$work/src:img"
  rm -rf "$work/storage" "$work/run"
}

# measure CMD...: "SECONDS RSS_MB" of one run; milliseconds count (skopeo starts in about 10),
# so the wall clock is read here rather than from time(1), which rounds to 10 ms
measure() {
  local f start end; f=$(mktemp)
  start=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$f" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; rm -f "$f"; return 1; }
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" '{printf "%.3f %.0f\n", e - s, $1/1024}' "$f"; rm -f "$f"
}

# bench RUNS CLEANUP CMD...: median seconds and largest RSS of RUNS runs, each after CLEANUP
bench() {
  local runs=$1 clean=$2; shift 2
  local times=() rss=0 t m r
  for _ in $(seq 1 "$runs"); do
    eval "$clean"
    r=$(measure "$@") || return 1
    read -r t m <<<"$r"
    times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v r="$rss" '{a[NR]=$1} END {printf "%s %s\n", a[int((NR+1)/2)], r}'
}

# row NAME SKOPEO_RESULT HOIST_RESULT: one markdown table row with the ratio
row() {
  local st sm ht hm
  read -r st sm <<<"$2"; read -r ht hm <<<"$3"
  printf '| %s | %s s | %s s | %.2f | %s MB | %s MB |\n' "$1" "$st" "$ht" "$(echo "$ht / $st" | bc -l)" "$sm" "$hm"
}

table_header() {
  echo "| work | skopeo | hoist | ratio | skopeo peak RSS | hoist peak RSS |"
  echo "| --- | --- | --- | --- | --- | --- |"
}

# start_registry DIR: starts docker-registry on a free loopback port, storing under DIR/data;
# sets REGISTRY to its host:port and adds its pid to REGISTRY_PIDS (the caller kills them)
REGISTRY_PIDS=()
start_registry() {
  local dir=$1 port
  mkdir -p "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat > "$dir/registry.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $dir/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port}
YAML
  docker-registry serve "$dir/registry.yml" >"$dir/registry.log" 2>&1 &
  REGISTRY_PIDS+=($!)
  REGISTRY=127.0.0.1:$port
  until curl -sf "http://$REGISTRY/v2/" >/dev/null; do sleep 0.1; done
}
