/**
 * The copy pipeline: {@link hoist.engine.copy.Copier} (entry), one image ({@link hoist.engine.copy.ImageCopy}),
 * lists ({@link hoist.engine.copy.ListCopy}), one blob's stream chain ({@link hoist.engine.copy.BlobCopy}),
 * the choice of layer compression ({@link hoist.engine.copy.LayerCompressionPlan}), and the fan-out
 * of one stream to many destinations ({@link hoist.engine.copy.BlobFanout}).
 */
package hoist.engine.copy;
