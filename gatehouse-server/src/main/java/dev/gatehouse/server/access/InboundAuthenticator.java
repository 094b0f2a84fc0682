package dev.gatehouse.server.access;

import dev.gatehouse.core.access.Caller;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Step 1 of the tool-call path: turns an HTTP request into the {@link Caller} it acts for.
 */
public interface InboundAuthenticator {

	/**
	 * @throws AuthenticationRequiredException when the request carries no acceptable credential
	 */
	Caller authenticate(HttpServletRequest request);

}
