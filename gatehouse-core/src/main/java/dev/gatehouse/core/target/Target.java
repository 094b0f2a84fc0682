package dev.gatehouse.core.target;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * An upstream MCP server registered with the gateway. Built only by {@link TargetDefinitions#parse}, which
 * validates every field.
 *
 * @param name unique, lower-case, safe in tool names ({@code [a-z][a-z0-9-]*}, at most 48 characters)
 * @param endpoint the MCP endpoint URL
 * @param auth how the gateway authenticates to it
 * @param description shown to admins, or {@code null}
 * @param enabled whether its tools are offered
 * @param timeout how long to wait for an answer (reset by progress), or {@code null} for the gateway default
 * @param headers extra request headers (not secret)
 * @param namespaced whether names are exposed as {@code {target}___{name}} (the default) or unchanged
 */
public record Target(String name, URI endpoint, TargetAuth auth, @Nullable String description, boolean enabled,
		@Nullable Duration timeout, Map<String, String> headers, boolean namespaced) {

	/** The rule for target names. */
	public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,47}");

	public Target {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(endpoint, "endpoint must not be null");
		Objects.requireNonNull(auth, "auth must not be null");
		headers = Map.copyOf(headers);
	}

	/** The prefix of this target's exposed names, or {@code null} when it is not namespaced. */
	public @Nullable String prefix() {
		return namespaced ? name : null;
	}

	/** The RFC 8707 resource indicator for this target: {@code auth.resource}, or the endpoint. */
	public URI resource() {
		return (auth instanceof TargetAuth.OAuth2 oauth && oauth.resource() != null) ? oauth.resource() : endpoint;
	}
}
