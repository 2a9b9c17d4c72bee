/**
 * Layer compression: the algorithms ({@link hoist.engine.compress.Compression}), detection by magic
 * bytes, and the streams that compress and decompress. gzip is written in parallel blocks joined
 * into one member ({@link hoist.engine.compress.BlockGzipInputStream}) by the process's
 * {@link hoist.engine.compress.DeflateEngine}: ISA-L's through the JNI binding built from
 * {@code src/main/c}, or the JDK's zlib; zstd through zstd-jni with its workers; zstd:chunked
 * ({@link hoist.engine.compress.ZstdChunked}) as a frame per file and chunk with the table of
 * contents, tar-split and footer containers/storage reads, written on a thread of its own.
 * {@link hoist.engine.compress.CompressionDefaults} reads containers.conf's compression keys.
 */
package hoist.engine.compress;
