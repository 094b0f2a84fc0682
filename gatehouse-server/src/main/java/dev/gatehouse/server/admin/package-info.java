/**
 * The admin API {@code /admin/api/**}: targets (create, read, update, delete, synchronise) and the catalog
 * (exposed tools, definition drift). Errors are RFC 9457 problem details that name the field at fault.
 */
@NullMarked
package dev.gatehouse.server.admin;

import org.jspecify.annotations.NullMarked;
