package dev.gatehouse.server.catalog;

import java.util.Set;

/**
 * Told when what agents see changes, so that they can be sent {@code notifications/tools/list_changed} and
 * the like.
 */
public interface CatalogListener {

	void onCatalogChanged(Set<EntryKind> kinds);

}
