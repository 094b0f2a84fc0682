package dev.gatehouse.demo.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.Objects;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Rejects every request that does not carry exactly one header {@code headerName} whose
 * value equals the expected API key, with {@code 401} and a small JSON body, before the
 * request reaches the MCP servlet.
 *
 * <p>
 * Only the SHA-256 digest of the expected key is kept. The presented value is hashed the
 * same way and the two digests are compared with
 * {@link MessageDigest#isEqual(byte[], byte[])}, which runs in time independent of where
 * they differ; hashing first also hides the key's length. Thread-safe.
 */
final class ApiKeyFilter implements Filter {

	private final String headerName;

	private final byte[] expectedDigest;

	private final byte[] rejectionBody;

	ApiKeyFilter(String headerName, byte[] expectedDigest) {
		this.headerName = Objects.requireNonNull(headerName, "headerName must not be null");
		this.expectedDigest = Objects.requireNonNull(expectedDigest, "expectedDigest must not be null").clone();
		// The header name is an RFC 9110 token (checked by the builder), so it needs no
		// JSON escaping.
		this.rejectionBody = ("{\"error\":\"unauthorized\",\"error_description\":\"Missing or invalid " + headerName
				+ " header\"}")
			.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (isAuthorized((HttpServletRequest) request)) {
			chain.doFilter(request, response);
			return;
		}
		reject((HttpServletResponse) response);
	}

	private boolean isAuthorized(HttpServletRequest request) {
		Enumeration<String> values = request.getHeaders(this.headerName);
		if (values == null || !values.hasMoreElements()) {
			return false;
		}
		String presented = values.nextElement();
		if (values.hasMoreElements()) {
			// Two values are ambiguous; a proxy may have appended one. Fail closed.
			return false;
		}
		return MessageDigest.isEqual(sha256(presented), this.expectedDigest);
	}

	private void reject(HttpServletResponse response) throws IOException {
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setContentType("application/json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader("Cache-Control", "no-store");
		response.setContentLength(this.rejectionBody.length);
		response.getOutputStream().write(this.rejectionBody);
	}

	static byte[] sha256(@Nullable String value) {
		try {
			return MessageDigest.getInstance("SHA-256")
				.digest(Objects.requireNonNullElse(value, "").getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform is required to provide SHA-256 (MessageDigest Javadoc).
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
