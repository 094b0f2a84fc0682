package dev.gatehouse.server.access;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.access.Decision;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Step 4 of the tool-call path: what a caller may see and call. A denied tool looks exactly like a missing one
 * to the agent; the {@link Decision} carries the real reason to the audit trail.
 */
public interface AccessPolicy {

	/**
	 * Decides whether {@code caller} may use {@code name} (a tool, prompt or resource) of {@code target}.
	 * @param kind {@code tool}, {@code prompt} or {@code resource}
	 * @param arguments a tool call's arguments, or {@code null} when deciding whether to list it
	 */
	Decision decide(Caller caller, String target, String kind, String name, @Nullable JsonNode arguments);

	/**
	 * Whether {@code caller} may connect (authorise) a per-user OAuth target whose tools are not known yet: the
	 * policy lets the caller's roles use something of the target.
	 */
	boolean mayConnect(Caller caller, String target);

}
