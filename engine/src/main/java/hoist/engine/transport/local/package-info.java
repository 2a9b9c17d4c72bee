/** {@code local:NAME|ID}: the embedded local store as a transport, and the default for bare names. */
package hoist.engine.transport.local;
