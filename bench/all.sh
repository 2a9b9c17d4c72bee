#!/usr/bin/env bash
# Runs the benchmarks that bench/RESULTS.md reports: start-up, a multi-layer image, one large
# layer to show that memory stays flat as images grow, pushes to a registry, and one image pushed
# to three repositories on two registries, pushes from containers-storage against buildah,
# compression, the Docker daemon both ways, and layer encryption.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
{
  echo "# Benchmarks: hoist against skopeo"
  echo
  echo "Made by \`bench/all.sh\`; see bench/README.md for what each row measures."
  echo
  bench/startup.sh 20
  bench/run.sh 4 64 3
  bench/run.sh 1 1024 3
  bench/registry.sh 8 64 3
  bench/multidest.sh 4 64 3
  bench/containers-storage.sh 4 64 3
  bench/compression.sh 1
  bench/daemon.sh 4 256 1
  bench/encryption.sh 1 1024 1
} > bench/RESULTS.md.new
mv bench/RESULTS.md.new bench/RESULTS.md
rm -rf bench/work
cat bench/RESULTS.md
