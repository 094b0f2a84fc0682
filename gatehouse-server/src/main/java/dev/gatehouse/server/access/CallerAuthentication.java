package dev.gatehouse.server.access;

import java.util.Collection;
import java.util.Objects;

import dev.gatehouse.core.access.Caller;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A Spring Security authentication for a {@link Caller}: authorities are {@code ROLE_<role>} for each gateway
 * role. Never holds the token.
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

	private final Caller caller;

	public CallerAuthentication(Caller caller) {
		super(authorities(caller));
		this.caller = Objects.requireNonNull(caller, "caller must not be null");
		setAuthenticated(true);
	}

	static Collection<? extends GrantedAuthority> authorities(Caller caller) {
		return caller.roles().stream().map((role) -> new SimpleGrantedAuthority("ROLE_" + role)).toList();
	}

	public Caller caller() {
		return caller;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return caller;
	}

	@Override
	public String getName() {
		return caller.subject();
	}
}
