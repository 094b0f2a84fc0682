package dev.gatehouse.server.config;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's NIO HTTP/1.1 protocol with a configurable response buffer: the size of the byte and char buffers of
 * each request's {@code org.apache.catalina.connector.OutputBuffer}. Tomcat allocates them eagerly for every
 * request processor and keeps them for as long as the request lives, so an agent's held GET stream keeps 24 KiB
 * (8 KiB of bytes, 8 K chars) for hours. A smaller buffer only changes when a response without a
 * {@code Content-Length} is committed; larger writes bypass the buffer.
 * <p>
 * Tomcat creates the protocol by class name, so this class is public with a no-argument constructor.
 * {@link HttpConnectorConfiguration} sets the size.
 */
public final class HeldStreamProtocol extends Http11NioProtocol {

	private volatile int responseBufferSize = -1;

	/**
	 * The size Tomcat gives each {@code Response}'s output buffer.
	 * @return the size in bytes, or {@code -1} for Tomcat's default (8192)
	 */
	@Override
	public int getDesiredBufferSize() {
		return responseBufferSize;
	}

	/**
	 * Sets the response buffer size; applies to the request processors created afterwards.
	 * @param bytes the size in bytes, at least 512
	 */
	public void setResponseBufferSize(int bytes) {
		if (bytes < 512) {
			throw new IllegalArgumentException("responseBufferSize must be at least 512 but was " + bytes);
		}
		this.responseBufferSize = bytes;
	}
}
