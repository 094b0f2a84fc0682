package dev.gatehouse.demo.idp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a free TCP port on {@code 127.0.0.1} before a server starts.
 *
 * <p>
 * Why: the issuer identifier contains the port and must be known before the
 * authorization server's context is built. Another process may take the port between
 * this probe and the bind; {@link DemoIdentityProvider} retries in that case.
 */
final class LoopbackPorts {

	private LoopbackPorts() {
	}

	static int pickFree() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(IdentityProviderConfiguration.BIND_ADDRESS))) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port on 127.0.0.1", ex);
		}
	}

}
