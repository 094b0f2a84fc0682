package dev.gatehouse.server.egress;

import java.net.UnknownHostException;

/**
 * An outbound connection the egress policy refused. It extends {@link UnknownHostException} so that the HTTP
 * client's resolver can raise it; the message names the host and the rule.
 */
public final class EgressDeniedException extends UnknownHostException {

	public EgressDeniedException(String message) {
		super(message);
	}
}
