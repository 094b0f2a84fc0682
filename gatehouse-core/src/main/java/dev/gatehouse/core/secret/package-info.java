/**
 * Secret values and references to them. A {@link dev.gatehouse.core.secret.Secret} never prints itself; a
 * {@link dev.gatehouse.core.secret.SecretRef} names where a secret lives ({@code env:NAME}, {@code file:PATH})
 * and is safe to show.
 */
@NullMarked
package dev.gatehouse.core.secret;

import org.jspecify.annotations.NullMarked;
