package dev.gatehouse.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/**
 * A lean upstream MCP server (Streamable HTTP, JSON answers and SSE) for the load harness, in its own process:
 * blocking sockets, one thread per connection (virtual on JDK 21+ unless {@code --platform-threads}), canned
 * answers around the request id, {@code TCP_NODELAY}. It answers {@code initialize} (with an
 * {@code Mcp-Session-Id}), notifications (202), {@code tools/list}, {@code tools/call} (see
 * {@link UpstreamResponses} for the tools), {@code ping}, GET with 405 (no server stream) and DELETE with 200,
 * on any path, and counts what it received ({@code GET /bench/stats}, see {@link UpstreamStats}). It checks no
 * credential: what the gateway sends is its business.
 *
 * <pre>
 * java -cp gatehouse-bench.jar dev.gatehouse.bench.load.FakeUpstream PORT [--payload BYTES] [--events N]
 *     [--delay-ms MS] [--platform-threads]
 * </pre>
 *
 * Prints {@code ready PORT} once it listens on {@code 127.0.0.1}.
 */
public final class FakeUpstream implements AutoCloseable {

	private static final byte[] TOOLS_CALL = ascii("tools/call");

	private static final byte[] STATS = ascii("GET " + UpstreamStats.PATH);

	private final ServerSocket server;

	private final UpstreamResponses responses;

	private final long delayMillis;

	private final ExecutorService executor;

	private final UpstreamStats stats = new UpstreamStats();

	private FakeUpstream(ServerSocket server, UpstreamResponses responses, long delayMillis, boolean virtual) {
		this.server = server;
		this.responses = responses;
		this.delayMillis = delayMillis;
		this.executor = Threads.perTask(virtual);
	}

	/**
	 * Starts listening and accepting on a background thread.
	 * @param port the port on 127.0.0.1, 0 for any
	 * @param payloadBytes the length of the tool result's text
	 * @param events the events of the {@code stream} tool
	 * @param delayMillis the delay of the {@code slow} tool
	 * @param virtual whether connections get virtual threads (JDK 21+)
	 * @return the running server
	 * @throws IOException if the port cannot be bound
	 */
	static FakeUpstream start(int port, int payloadBytes, int events, long delayMillis, boolean virtual)
			throws IOException {
		ServerSocket server = new ServerSocket();
		server.setReuseAddress(true);
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
		FakeUpstream upstream = new FakeUpstream(server, new UpstreamResponses(payloadBytes, events), delayMillis,
				virtual);
		Thread acceptor = new Thread(upstream::acceptLoop, "upstream-accept");
		acceptor.setDaemon(true);
		acceptor.start();
		return upstream;
	}

	int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Runs the server until killed.
	 * @param args see the class description
	 * @throws Exception if it cannot start
	 */
	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		int payload = 1024;
		int events = 10;
		long delay = 20;
		boolean virtual = true;
		for (int i = 1; i < args.length; i++) {
			switch (args[i]) {
				case "--payload" -> payload = Integer.parseInt(args[++i]);
				case "--events" -> events = Integer.parseInt(args[++i]);
				case "--delay-ms" -> delay = Long.parseLong(args[++i]);
				case "--platform-threads" -> virtual = false;
				default -> throw new IllegalArgumentException("unknown option " + args[i]);
			}
		}
		FakeUpstream upstream = start(port, payload, events, delay, virtual);
		PrintStream out = System.out;
		out.println("ready " + upstream.port());
		out.flush();
		Thread.currentThread().join();
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.stats.count(UpstreamStats.Kind.CONNECTION);
				this.executor.execute(() -> serve(socket));
			}
			catch (IOException ex) {
				// closed, or a transient accept failure: the loop condition decides
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			socket.setTcpNoDelay(true);
			HttpRequestReader request = new HttpRequestReader(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream(4096);
			while (request.next()) {
				response.reset();
				answer(request, response, out);
				if (response.size() > 0) {
					response.writeTo(out);
					out.flush();
				}
				if (request.close()) {
					return;
				}
			}
		}
		catch (IOException | InterruptedException ex) {
			// the peer went away
		}
	}

	private void answer(HttpRequestReader request, ByteArrayOutputStream response, OutputStream out)
			throws IOException, InterruptedException {
		if (request.startsWith(STATS)) {
			this.stats.write(response);
			return;
		}
		switch (request.method()) {
			case 'G' -> {
				this.stats.count(UpstreamStats.Kind.GET);
				response.writeBytes(UpstreamResponses.noGet());
			}
			case 'D' -> {
				this.stats.count(UpstreamStats.Kind.DELETE);
				response.writeBytes(UpstreamResponses.deleted());
			}
			default -> post(request, response, out);
		}
	}

	private void post(HttpRequestReader request, ByteArrayOutputStream response, OutputStream out)
			throws IOException, InterruptedException {
		byte[] body = request.buffer();
		int from = request.bodyStart();
		int to = request.bodyEnd();
		String id = JsonPeek.rawValue(body, from, to, "id");
		if (id == null) {
			this.stats.count(UpstreamStats.Kind.NOTIFICATION);
			response.writeBytes(UpstreamResponses.accepted());
			return;
		}
		if (JsonPeek.indexOf(body, from, to, TOOLS_CALL) >= 0) {
			this.stats.count(UpstreamStats.Kind.TOOLS_CALL);
			call(JsonPeek.stringValue(body, from, to, "name"), id, request, response, out);
			return;
		}
		String method = JsonPeek.stringValue(body, from, to, "method");
		if ("initialize".equals(method)) {
			this.stats.count(UpstreamStats.Kind.INITIALIZE);
			this.responses.initialize(id, JsonPeek.stringValue(body, from, to, "protocolVersion"), response);
		}
		else if ("tools/list".equals(method)) {
			this.stats.count(UpstreamStats.Kind.TOOLS_LIST);
			this.responses.toolsList(id, response);
		}
		else {
			this.stats.count(UpstreamStats.Kind.OTHER);
			this.responses.empty(id, response);
		}
	}

	private void call(String tool, String id, HttpRequestReader request, ByteArrayOutputStream response,
			OutputStream out) throws IOException, InterruptedException {
		if ("sse1".equals(tool)) {
			this.responses.sseResult(id, response);
		}
		else if ("stream".equals(tool)) {
			String token = JsonPeek.rawValue(request.buffer(), request.bodyStart(), request.bodyEnd(),
					"progressToken");
			byte[][] events = this.responses.streamEvents(id, token);
			UpstreamResponses.streamHead(events, response);
			response.writeTo(out);
			response.reset();
			for (byte[] event : events) {
				out.write(event);
				out.flush();
			}
		}
		else {
			if ("slow".equals(tool)) {
				Thread.sleep(this.delayMillis);
			}
			this.responses.jsonResult(id, response);
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.executor.shutdownNow();
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
