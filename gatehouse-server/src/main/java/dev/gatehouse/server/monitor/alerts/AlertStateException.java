package dev.gatehouse.server.monitor.alerts;

/** An alert cannot make the asked transition from where it stands (acknowledging a resolved alert...). */
public final class AlertStateException extends RuntimeException {

	private final Alert alert;

	AlertStateException(Alert alert, String message) {
		super(message, null, false, false);
		this.alert = alert;
	}

	public Alert alert() {
		return alert;
	}
}
