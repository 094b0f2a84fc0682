package dev.gatehouse.server.config;

/**
 * The version of this build, from the jar manifest ({@code dev} when run from classes).
 */
public final class GatehouseVersion {

	private GatehouseVersion() {
	}

	public static String get() {
		String version = GatehouseVersion.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "dev";
	}
}
