/**
 * Audit records: what the gateway did, for whom, and why, as values built on the request path and written off
 * it. A record never holds a token, a secret or raw arguments (only their digest).
 */
@NullMarked
package dev.gatehouse.core.audit;

import org.jspecify.annotations.NullMarked;
