#!/bin/sh
# Builds the JNI binding of ISA-L (libhoistisal.so) into the engine's classes, where
# hoist.engine.compress.IsalDeflate loads it from. Without gcc, ISA-L's headers or the JDK's
# jni.h it builds nothing and says so: hoist then compresses with the JDK's Deflater.
# Usage: build.sh SOURCE_DIR OUTPUT_DIR JAVA_HOME
src=$1 out=$2 jdk=$3
arch=$(uname -m)
target="$out/hoist/engine/compress/native/linux-$arch"
include="$jdk/include"
[ -f "$include/jni.h" ] || include="$(dirname "$jdk")/include"
if ! command -v gcc >/dev/null 2>&1; then
  echo "hoist: gcc not found; ISA-L deflate not built (the JDK's deflate is used)" >&2; exit 0
fi
if [ ! -f "$include/jni.h" ]; then
  echo "hoist: jni.h not found under $jdk; ISA-L deflate not built (the JDK's deflate is used)" >&2; exit 0
fi
if [ ! -f /usr/include/isa-l/igzip_lib.h ]; then
  echo "hoist: ISA-L headers not found (Debian: libisal-dev); ISA-L deflate not built (the JDK's deflate is used)" >&2; exit 0
fi
mkdir -p "$target"
if [ -f "$target/libhoistisal.so" ] && [ "$target/libhoistisal.so" -nt "$src/hoist_isal.c" ]; then
  exit 0
fi
gcc -O2 -fPIC -shared -Wall -Wextra -I"$include" -I"$include/linux" -o "$target/libhoistisal.so.tmp" \
    "$src/hoist_isal.c" -lisal \
  && mv -f "$target/libhoistisal.so.tmp" "$target/libhoistisal.so" \
  || { rm -f "$target/libhoistisal.so.tmp"; echo "hoist: ISA-L binding failed to compile (the JDK's deflate is used)" >&2; }
exit 0
