/** Reading an image for people and scripts: manifest, config and layers in one object. */
package hoist.engine.inspect;
