package dev.gatehouse.server.access;

import java.util.Set;
import java.util.TreeSet;

import dev.gatehouse.core.access.Caller;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * The {@link Caller} behind the current admin API or page request: a bearer token's, a logged-in person's
 * (issuer and subject of the ID token), or the local user's.
 */
public final class CurrentCaller {

	private CurrentCaller() {
	}

	public static Caller get() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof CallerAuthentication caller) {
			return caller.caller();
		}
		if (authentication != null && authentication.getPrincipal() instanceof OidcUser user) {
			Set<String> roles = new TreeSet<>();
			for (GrantedAuthority authority : authentication.getAuthorities()) {
				if (authority.getAuthority() != null && authority.getAuthority().startsWith("ROLE_")) {
					roles.add(authority.getAuthority().substring(5));
				}
			}
			return new Caller(user.getIssuer().toString(), user.getSubject(), null, roles, Set.of());
		}
		throw new IllegalStateException("no authenticated caller");
	}
}
