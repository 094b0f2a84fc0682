/**
 * Step 5 of the tool-call path: the credential the gateway presents to a target for a caller. Secrets are
 * resolved from references ({@code env:NAME}, {@code file:PATH}) when needed and never logged or returned.
 */
@NullMarked
package dev.gatehouse.server.credentials;

import org.jspecify.annotations.NullMarked;
