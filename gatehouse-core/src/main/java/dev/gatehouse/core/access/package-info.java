/**
 * The access model: who is calling ({@link dev.gatehouse.core.access.Caller}) and what was decided about it
 * ({@link dev.gatehouse.core.access.Decision}), as values that can be audited without recomputing them.
 */
@NullMarked
package dev.gatehouse.core.access;

import org.jspecify.annotations.NullMarked;
