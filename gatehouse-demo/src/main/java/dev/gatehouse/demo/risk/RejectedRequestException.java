package dev.gatehouse.demo.risk;

/**
 * A request the risk tools cannot answer (bad holdings, unknown symbol or company). Its
 * message is written for the caller and becomes the text of an {@code isError} tool
 * result.
 */
final class RejectedRequestException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	RejectedRequestException(String message) {
		super(message);
	}

}
