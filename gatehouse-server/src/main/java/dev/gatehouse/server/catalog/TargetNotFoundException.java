package dev.gatehouse.server.catalog;

/**
 * No target has the name asked for.
 */
public final class TargetNotFoundException extends RuntimeException {

	private final String name;

	public TargetNotFoundException(String name) {
		super("no target is named '" + name + "'", null, false, false);
		this.name = name;
	}

	public String name() {
		return name;
	}
}
