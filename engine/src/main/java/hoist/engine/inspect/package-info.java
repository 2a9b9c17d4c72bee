/**
 * Reading an image for people and scripts: every manifest and config read once
 * ({@code ImageContent}), then shown as skopeo's JSON summary ({@code ImageInspection}), as
 * navigable records ({@code InspectedImage} and its parts) or as a tree ({@code InspectionTree}).
 */
package hoist.engine.inspect;
