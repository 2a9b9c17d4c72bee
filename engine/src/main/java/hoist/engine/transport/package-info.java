/**
 * The transport contract every kind of image location implements ({@link hoist.engine.transport.Transport},
 * {@link hoist.engine.transport.ImageReference}, {@link hoist.engine.transport.ImageSource},
 * {@link hoist.engine.transport.ImageDestination}) and the parser of {@code transport:details} text.
 * One sub-package per transport, each with its reference, source and destination.
 */
package hoist.engine.transport;
