#!/usr/bin/env bash
# Compression against skopeo, in one run on one generated image of mixed content: a JDK, the
# machine's /usr/bin and random data, as uncompressed layers (about 1 GB). Prints a markdown
# section of results. Not a test: the ratios are what to read.
#
#   bench/compression.sh [RUNS]     (default 1)
#
# Rows: uncompressed -> gzip, -> zstd and -> zstd:chunked (each tool's default level: for
# zstd:chunked skopeo's is zstd level 10, hoist's 3), gzip -> zstd (the source
# is skopeo's gzip of the image, read by both), and gunzip (oci with gzip layers ->
# docker-archive, which keeps plain tars). Each copy writes an OCI layout (or archive) to disk;
# output size is the size of the layers written.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
runs=${1:-1}
work=bench/work/compression; rm -rf "$work"; mkdir -p "$work"
work=$(readlink -f "$work")

./hoist --version >/dev/null   # build first, outside any timing
. bench/lib.sh

# layer DIR NAME: moves DIR/NAME into DIR/blobs; prints its descriptor's digest and size fields
layer_blob() {
  local digest size
  digest=$(sha256sum < "$1/$2" | cut -c1-64); size=$(stat -c %s "$1/$2")
  mv "$1/$2" "$1/blobs/sha256/$digest"
  printf '"digest":"sha256:%s","size":%s' "$digest" "$size"
}

# mixed WORK: an OCI layout WORK/plain:img of three uncompressed layers: /usr/lib/jvm, /usr/bin
# and 64 MB of random data
mixed() {
  local dir=$1/plain layers=() diffs=() t config manifest
  mkdir -p "$dir/blobs/sha256"
  echo "generating a mixed image (JDK, /usr/bin, 64 MB random) as uncompressed layers" >&2
  tar -C / -cf "$dir/l1" usr/lib/jvm 2>/dev/null || true
  tar -C / -cf "$dir/l2" usr/bin 2>/dev/null || true
  mkdir -p "$1/rand/data" && head -c $((64 * 1024 * 1024)) /dev/urandom > "$1/rand/data/random"
  tar -C "$1/rand" -cf "$dir/l3" data && rm -rf "$1/rand"
  for t in l1 l2 l3; do
    diffs+=("\"sha256:$(sha256sum < "$dir/$t" | cut -c1-64)\"")
    layers+=("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",$(layer_blob "$dir" "$t")}")
  done
  printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$(IFS=,; echo "${diffs[*]}")" > "$dir/config"
  config=$(layer_blob "$dir" config)
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json",%s},"layers":[%s]}' \
    "$config" "$(IFS=,; echo "${layers[*]}")" > "$dir/manifest"
  manifest=$(layer_blob "$dir" manifest)
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",%s,"annotations":{"org.opencontainers.image.ref.name":"img"}}]}' \
    "$manifest" > "$dir/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$dir/oci-layout"
}

# layers_mb LAYOUT: the size of the layers of LAYOUT's image img in MB (two decimals)
layers_mb() {
  python3 - "$1" <<'PY'
import json, sys, os
d = sys.argv[1]
index = json.load(open(os.path.join(d, "index.json")))
m = index["manifests"][0]["digest"].split(":")[1]
manifest = json.load(open(os.path.join(d, "blobs", "sha256", m)))
print("%.2f" % (sum(l["size"] for l in manifest["layers"]) / 1e6))
PY
}

# compare NAME SRC DEST_KIND SKOPEO_ARGS HOIST_ARGS [HOIST_DEFLATE]: times both, prints one table
# row; HOIST_DEFLATE=jdk makes hoist use the JDK's deflate instead of ISA-L's
compare() {
  local name=$1 src=$2 kind=$3 sargs=$4 hargs=$5 s h ss hs st sm ht hm
  local -x HOIST_DEFLATE=${6:-isal}
  if [ "$kind" = oci ]; then
    # shellcheck disable=SC2086 # the argument strings are split on purpose
    s=$(bench "$runs" "rm -rf $work/s" skopeo --insecure-policy copy -q $sargs "$src" "oci:$work/s:img")
    ss=$(layers_mb "$work/s")
    # shellcheck disable=SC2086
    h=$(bench "$runs" "rm -rf $work/h" ./hoist copy -q $hargs "$src" "oci:$work/h:img")
    hs=$(layers_mb "$work/h")
  else
    s=$(bench "$runs" "rm -f $work/s.tar" skopeo --insecure-policy copy -q "$src" "docker-archive:$work/s.tar:bench:1")
    ss=$(awk "BEGIN {printf \"%.2f\", $(stat -c %s "$work/s.tar") / 1e6}")
    h=$(bench "$runs" "rm -f $work/h.tar" ./hoist copy -q "$src" "docker-archive:$work/h.tar:bench:1")
    hs=$(awk "BEGIN {printf \"%.2f\", $(stat -c %s "$work/h.tar") / 1e6}")
  fi
  read -r st sm <<<"$s"; read -r ht hm <<<"$h"
  printf '| %s | %s s | %s s | %.2f | %s MB | %s MB | %.3f | %s MB | %s MB |\n' "$name" "$st" "$ht" \
    "$(echo "$ht / $st" | bc -l)" "$ss" "$hs" "$(echo "$hs / $ss" | bc -l)" "$sm" "$hm"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
mixed "$work"
plain="oci:$work/plain:img"
skopeo --insecure-policy copy -q --dest-compress-format gzip "$plain" "oci:$work/gzip:img"
gzipped="oci:$work/gzip:img"
size=$(layers_mb "$work/plain")

rows=(
  "$(compare "uncompressed -> gzip" "$plain" oci "--dest-compress-format gzip" "--compression-format gzip")"
  "$(compare "uncompressed -> gzip, hoist with the JDK's deflate" "$plain" oci "--dest-compress-format gzip" "--compression-format gzip" jdk)"
  "$(compare "uncompressed -> zstd" "$plain" oci "--dest-compress-format zstd" "--compression-format zstd")"
  "$(compare "uncompressed -> zstd:chunked" "$plain" oci "--dest-compress-format zstd:chunked" "--compression-format zstd:chunked")"
  "$(compare "gzip -> zstd" "$gzipped" oci "--dest-compress-format zstd" "--compression-format zstd")"
  "$(compare "gunzip: oci (gzip) -> docker-archive" "$gzipped" archive "" "")"
)
{
  echo "## Compression: a ${size} MB image of mixed content"
  echo
  echo "Generated by \`bench/compression.sh $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores;"
  echo "image: 3 uncompressed layers (/usr/lib/jvm, /usr/bin, 64 MB random; ${size} MB)."
  echo "$(skopeo --version); $(./hoist --version); $(java -version 2>&1 | head -1); load average before: $load."
  echo "Median of $runs runs; ratio = hoist / skopeo (below 1 is faster); each tool at its default level."
  echo
  echo "| work | skopeo | hoist | time ratio | skopeo output | hoist output | size ratio | skopeo peak RSS | hoist peak RSS |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
}
rm -rf "$work"
