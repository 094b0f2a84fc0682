package dev.gatehouse.server.access;

import java.util.List;

/**
 * The token is valid but lacks a scope the gateway requires: 403 with {@code error="insufficient_scope"} and the
 * full set of required scopes (MCP 2025-11-25 "Scope Challenge Handling").
 */
public final class InsufficientScopeException extends RuntimeException {

	private final List<String> requiredScopes;

	public InsufficientScopeException(List<String> requiredScopes) {
		super("the token lacks a required scope; required: " + String.join(" ", requiredScopes), null, false, false);
		this.requiredScopes = List.copyOf(requiredScopes);
	}

	public List<String> requiredScopes() {
		return requiredScopes;
	}
}
