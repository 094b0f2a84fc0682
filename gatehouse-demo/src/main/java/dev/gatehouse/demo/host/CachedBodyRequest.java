package dev.gatehouse.demo.host;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * A request whose body was read in advance (to find the JSON-RPC method and tool name
 * before the MCP servlet runs) and is replayed to the servlet unchanged, through
 * {@link #getInputStream()} or {@link #getReader()}.
 */
final class CachedBodyRequest extends HttpServletRequestWrapper {

	private final byte[] body;

	private CachedBodyRequest(HttpServletRequest request, byte[] body) {
		super(request);
		this.body = body;
	}

	/**
	 * Reads the body of a request.
	 * @param request the request
	 * @param maxBytes the most bytes to read
	 * @return the wrapped request, or {@code null} if the body is larger than
	 * {@code maxBytes}
	 * @throws IOException if reading fails
	 */
	static @Nullable CachedBodyRequest read(HttpServletRequest request, int maxBytes) throws IOException {
		if (request.getContentLengthLong() > maxBytes) {
			return null;
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes(maxBytes + 1);
			return (body.length > maxBytes) ? null : new CachedBodyRequest(request, body);
		}
	}

	byte[] body() {
		return this.body;
	}

	@Override
	public ServletInputStream getInputStream() {
		ByteArrayInputStream replay = new ByteArrayInputStream(this.body);
		return new ServletInputStream() {

			@Override
			public int read() {
				return replay.read();
			}

			@Override
			public int read(byte[] buffer, int offset, int length) {
				return replay.read(buffer, offset, length);
			}

			@Override
			public boolean isFinished() {
				return replay.available() == 0;
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setReadListener(ReadListener listener) {
				throw new IllegalStateException("The body was already read; non-blocking reads are not supported");
			}

		};
	}

	@Override
	public BufferedReader getReader() {
		String encoding = getCharacterEncoding();
		Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
		return new BufferedReader(new InputStreamReader(getInputStream(), charset));
	}

}
