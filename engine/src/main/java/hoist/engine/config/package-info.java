/**
 * The containers configuration that decides where registry references go: registries.conf (v2,
 * with its drop-in directories) and {@code BUILD_REGISTRY_SOURCES}.
 */
package hoist.engine.config;
