/**
 * {@code manifest create/add/annotate/inspect/push/rm/exists}: manifest lists and image indexes
 * kept in the local store, with podman's option names. The commands parse and report; the list
 * changes themselves are made by {@link hoist.engine.store.ListEditing}.
 */
package hoist.dsl.command.manifest;
