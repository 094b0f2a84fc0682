package dev.gatehouse.bench.load;

import java.io.IOException;

/**
 * One MCP session on one keep-alive connection, calling one tool again and again with pre-built bytes. Opens a
 * new connection when the server asked to close the last one ({@code Connection: close}, as Tomcat does after
 * {@code max-keep-alive-requests}) or after a failure; the session stays the same. Not thread-safe.
 */
final class McpClient implements Caller {

	private static final byte[] RESULT = HttpConnection.ascii("\"result\"");

	private static final byte[] IS_ERROR = HttpConnection.ascii("\"isError\":true");

	/** A call that answers nothing for this long fails (and the run goes on) rather than hanging the harness. */
	static final int READ_TIMEOUT_MILLIS = 30_000;

	/**
	 * A connection idle for longer is replaced before the next call: servers close idle keep-alive connections
	 * (Tomcat after its keep-alive timeout), and a call sent on a connection the server is closing would fail.
	 */
	static final long MAX_IDLE_NANOS = 5_000_000_000L;

	private final int port;

	private final byte[] call;

	private final String sessionId;

	private HttpConnection connection;

	private long lastUsed = System.nanoTime();

	private McpClient(int port, HttpConnection connection, String sessionId, byte[] call) {
		this.port = port;
		this.connection = connection;
		this.sessionId = sessionId;
		this.call = call;
	}

	/**
	 * Connects, initializes a session and prepares the call.
	 * @param requests the endpoint's requests
	 * @param tool the tool name as the endpoint exposes it
	 * @param id the JSON-RPC id of every call of this client
	 * @param progress whether the calls ask for progress notifications
	 * @return the ready client
	 * @throws IOException if the connection or the initialization fails
	 */
	static McpClient open(McpRequests requests, String tool, long id, boolean progress) throws IOException {
		HttpConnection connection = HttpConnection.open(requests.port());
		try {
			connection.timeout(READ_TIMEOUT_MILLIS);
			int status = connection.exchange(requests.initialize());
			String session = connection.sessionId();
			if (status != 200 || session == null) {
				throw new IOException("initialize answered " + status + (session == null ? " without a session id" : "")
						+ ": " + abbreviate(connection.body()));
			}
			status = connection.exchange(requests.initialized(session));
			if (status != 202 && status != 200) {
				throw new IOException("notifications/initialized answered " + status);
			}
			if (connection.closeRequested()) {
				connection.close();
				connection = HttpConnection.open(requests.port());
				connection.timeout(READ_TIMEOUT_MILLIS);
			}
			return new McpClient(requests.port(), connection, session,
					requests.toolsCall(session, tool, id, progress));
		}
		catch (IOException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	/**
	 * Calls the tool once.
	 * @return whether the answer was a 200 with a result that is not an error
	 * @throws IOException if the connection failed (the next call reconnects)
	 */
	@Override
	public boolean call() throws IOException {
		long now = System.nanoTime();
		if (now - this.lastUsed > MAX_IDLE_NANOS) {
			dropConnection();
		}
		this.lastUsed = now;
		if (this.connection == null) {
			this.connection = HttpConnection.open(this.port);
			this.connection.timeout(READ_TIMEOUT_MILLIS);
		}
		try {
			int status = this.connection.exchange(this.call);
			boolean ok = status == 200 && this.connection.bodyContains(RESULT) && !this.connection.bodyContains(IS_ERROR);
			if (this.connection.closeRequested()) {
				dropConnection();
			}
			return ok;
		}
		catch (IOException | RuntimeException ex) {
			dropConnection();
			throw ex;
		}
	}

	/** The body of the last answer, for error messages. */
	@Override
	public String lastBody() {
		return (this.connection != null) ? abbreviate(this.connection.body()) : "";
	}

	String sessionId() {
		return this.sessionId;
	}

	private void dropConnection() {
		if (this.connection != null) {
			this.connection.close();
			this.connection = null;
		}
	}

	static String abbreviate(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "…" : text;
	}

	@Override
	public void close() {
		dropConnection();
	}

}
