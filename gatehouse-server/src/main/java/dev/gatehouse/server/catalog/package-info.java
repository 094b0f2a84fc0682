/**
 * Steps 3 of the tool-call path and the registry behind it: targets (from the targets file and the admin API,
 * persisted), what each offers (tools, prompts, resources, templates), kept in sync with the targets and
 * checked for definitions that change between two synchronisations, and the aggregated, namespaced view that
 * {@code tools/list} pages through and {@code tools/call} resolves against.
 */
@NullMarked
package dev.gatehouse.server.catalog;

import org.jspecify.annotations.NullMarked;
