/**
 * Step 8 of the tool-call path: the audit trail. In this build records go to the structured log
 * {@code gatehouse.audit} as one JSON object per line, off the request thread.
 */
@NullMarked
package dev.gatehouse.server.audit;

import org.jspecify.annotations.NullMarked;
