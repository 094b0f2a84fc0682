package dev.gatehouse.demo.idp;

import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads an RFC 7523 client assertion sent without {@code client_id}, which RFC 7523
 * section 3 allows and Spring's {@code JwtClientAssertionAuthenticationConverter}
 * refuses ({@code invalid_request}: "REQUIRED by this implementation"). The client is
 * named by the assertion's {@code sub}, read here without verification; Spring's
 * {@code JwtClientAssertionAuthenticationProvider} then verifies the signature against
 * that client's keys and checks {@code iss} and {@code sub}. Requests that carry
 * {@code client_id} are left to Spring's converter.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7523#section-2.2">RFC 7523
 * section 2.2</a>
 */
final class ClientAssertionAuthenticationConverter implements AuthenticationConverter {

	static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	private static final Set<String> CLIENT_PARAMETERS = Set.of(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE,
			OAuth2ParameterNames.CLIENT_ASSERTION, OAuth2ParameterNames.CLIENT_ID);

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		String[] types = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE);
		String[] assertions = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION);
		if (request.getParameter(OAuth2ParameterNames.CLIENT_ID) != null || types == null || types.length != 1
				|| !JWT_BEARER.equals(types[0]) || assertions == null || assertions.length != 1) {
			return null;
		}
		String subject = subject(assertions[0]);
		if (subject == null || subject.isBlank()) {
			return null;
		}
		return new OAuth2ClientAuthenticationToken(subject, new ClientAuthenticationMethod(JWT_BEARER), assertions[0],
				codeGrantParameters(request));
	}

	private static @Nullable String subject(String assertion) {
		try {
			return SignedJWT.parse(assertion).getJWTClaimsSet().getSubject();
		}
		catch (ParseException ex) {
			return null;
		}
	}

	/**
	 * As Spring's converter: the other parameters of an authorization code request (the
	 * {@code code_verifier} among them), none for other grants.
	 */
	private static Map<String, Object> codeGrantParameters(HttpServletRequest request) {
		Map<String, Object> parameters = new HashMap<>();
		if (!AuthorizationGrantType.AUTHORIZATION_CODE.getValue()
			.equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
				|| request.getParameter(OAuth2ParameterNames.CODE) == null) {
			return parameters;
		}
		request.getParameterMap().forEach((name, values) -> {
			if (!CLIENT_PARAMETERS.contains(name)) {
				parameters.put(name, (values.length == 1) ? values[0] : values);
			}
		});
		return parameters;
	}

}
