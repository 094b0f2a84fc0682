package dev.gatehouse.bench.load;

import java.io.IOException;

/**
 * GETs one static file again and again: nginx serving a file of the fake upstream's answer size is the yardstick
 * the upstream is qualified against (it must not be the bottleneck). Not thread-safe.
 */
final class StaticFileCaller implements Caller {

	private final int port;

	private final byte[] request;

	private HttpConnection connection;

	StaticFileCaller(int port, String path) {
		this.port = port;
		this.request = HttpConnection.ascii("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n");
	}

	@Override
	public boolean call() throws IOException {
		if (this.connection == null) {
			this.connection = HttpConnection.open(this.port);
		}
		try {
			int status = this.connection.exchange(this.request);
			if (this.connection.closeRequested()) {
				close();
			}
			return status == 200;
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw ex;
		}
	}

	@Override
	public String lastBody() {
		return "";
	}

	@Override
	public void close() {
		if (this.connection != null) {
			this.connection.close();
			this.connection = null;
		}
	}

}
