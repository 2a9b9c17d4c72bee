/** Layer compression: the algorithms, detection by magic bytes, and the stream wrappers. */
package hoist.engine.compress;
