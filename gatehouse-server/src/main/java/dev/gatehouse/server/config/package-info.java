/**
 * Bootstrap configuration: typed, validated once at start-up, strict about unknown keys. Runtime data (targets,
 * later policy) lives in the database and changes through the admin API.
 */
@NullMarked
package dev.gatehouse.server.config;

import org.jspecify.annotations.NullMarked;
