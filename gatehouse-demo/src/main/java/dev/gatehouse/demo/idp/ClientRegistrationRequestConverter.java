package dev.gatehouse.demo.idp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2ClientRegistration;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.http.converter.OAuth2ClientRegistrationHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads an RFC 7591 registration request as Spring Authorization Server does, except that an empty {@code scope}
 * ({@code ""}, blanks, or {@code null}) counts as no {@code scope}: the client then gets the default scopes
 * ({@link DynamicClientRegistrations}). Spring refuses it ("scope cannot be empty"), and MCP clients send it: the MCP
 * Inspector's web UI registers with {@code "scope": ""} when the resource's metadata lists no
 * {@code scopes_supported}. RFC 7591 section 2 makes {@code scope} optional and lets the server choose the default;
 * an empty string names no scope, so it is the same request.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7591#section-2">RFC 7591 section 2</a>
 */
final class ClientRegistrationRequestConverter implements AuthenticationConverter {

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc7591#section-3.2.2";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final OAuth2ClientRegistrationHttpMessageConverter registrations = new OAuth2ClientRegistrationHttpMessageConverter();

	@Override
	public Authentication convert(HttpServletRequest request) {
		Authentication principal = SecurityContextHolder.getContext().getAuthentication();
		OAuth2ClientRegistration registration;
		try {
			byte[] body = withoutEmptyScope(request.getInputStream().readAllBytes());
			registration = this.registrations.read(OAuth2ClientRegistration.class, new Body(body));
		}
		catch (IOException | HttpMessageNotReadableException | IllegalArgumentException ex) {
			// The same error as Spring's converter gives.
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
					"OAuth 2.0 Client Registration Error: " + ex.getMessage(), ERROR_URI), ex);
		}
		return new OAuth2ClientRegistrationAuthenticationToken(principal, registration);
	}

	/**
	 * The request body without its {@code scope} member when that names no scope; any other body unchanged (an
	 * invalid one is then reported by Spring's reader).
	 */
	static byte[] withoutEmptyScope(byte[] body) {
		JsonNode json;
		try {
			json = MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			return body;
		}
		if (json instanceof ObjectNode object && object.has("scope")) {
			JsonNode scope = object.get("scope");
			if (scope.isNull() || (scope.isString() && scope.stringValue().isBlank())) {
				object.remove("scope");
				return MAPPER.writeValueAsBytes(object);
			}
		}
		return body;
	}

	private record Body(byte[] bytes) implements HttpInputMessage {

		@Override
		public InputStream getBody() {
			return new ByteArrayInputStream(this.bytes);
		}

		@Override
		public HttpHeaders getHeaders() {
			HttpHeaders headers = new HttpHeaders();
			headers.setContentType(MediaType.APPLICATION_JSON);
			return headers;
		}

	}

}
