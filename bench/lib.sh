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

# measure CMD...: "SECONDS RSS_MB" of one run
measure() {
  local f; f=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$f" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; rm -f "$f"; return 1; }
  awk '{printf "%s %.0f\n", $1, $2/1024}' "$f"; rm -f "$f"
}

# bench RUNS CLEANUP CMD...: median seconds and largest RSS of RUNS runs, each after CLEANUP
bench() {
  local runs=$1 clean=$2; shift 2
  local times=() rss=0 t m
  for _ in $(seq 1 "$runs"); do
    eval "$clean"
    read -r t m < <(measure "$@")
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
