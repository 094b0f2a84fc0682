package dev.gatehouse.server.access;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.server.audit.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.MissingCsrfTokenException;

/**
 * Records every request the security chains of the admin API and the pages refuse ({@code access_denied}: who,
 * method, path, status and why), before the refusal is written. Those requests never reach the MVC layer, so
 * {@code admin_action} (written after a handler ran) cannot see them: a non-admin's {@code PUT} of the policy, a
 * form posted without its CSRF token, an admin API request without any credential. A refused bearer token is
 * recorded by the authenticator as {@code authentication_failed} instead. Never records a body, a cookie or a token.
 */
final class RefusalAudit {

	static final String TYPE = "access_denied";

	private final AuditTrail audit;

	RefusalAudit(AuditTrail audit) {
		this.audit = audit;
	}

	/** The entry point, recording first that the request had no credential. */
	AuthenticationEntryPoint entryPoint(AuthenticationEntryPoint entryPoint, String reason) {
		return (request, response, ex) -> {
			record(request, 401, reason);
			entryPoint.commence(request, response, ex);
		};
	}

	/** The handler, recording first why the authenticated (or anonymous) caller was refused. */
	AccessDeniedHandler deniedHandler(AccessDeniedHandler handler, String forbidden) {
		return (request, response, ex) -> {
			record(request, 403, reason(ex, forbidden));
			handler.handle(request, response, ex);
		};
	}

	private void record(HttpServletRequest request, int status, String reason) {
		Map<String, Object> fields = new LinkedHashMap<>();
		try {
			Caller caller = CurrentCaller.get();
			fields.put("issuer", caller.issuer());
			fields.put("subject", caller.subject());
		}
		catch (IllegalStateException anonymous) {
			// No caller: the record says so by having no subject.
		}
		fields.put("method", request.getMethod());
		fields.put("path", request.getRequestURI());
		fields.put("status", status);
		fields.put("outcome", "refused");
		fields.put("reason", reason);
		fields.put("remote", request.getRemoteAddr());
		audit.event(TYPE, fields);
	}

	private static String reason(AccessDeniedException ex, String forbidden) {
		if (ex instanceof MissingCsrfTokenException) {
			return "no CSRF token: the form or request did not carry the session's CSRF token";
		}
		if (ex instanceof CsrfException) {
			return "wrong CSRF token: the request's CSRF token does not match the session's";
		}
		return forbidden;
	}
}
