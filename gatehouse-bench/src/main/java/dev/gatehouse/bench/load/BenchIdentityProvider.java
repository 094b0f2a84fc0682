package dev.gatehouse.bench.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import dev.gatehouse.demo.idp.DemoClient;
import dev.gatehouse.demo.idp.DemoIdentityProvider;

/**
 * The load harness's identity provider: the demo's Spring Authorization Server
 * ({@link DemoIdentityProvider}) with the demo users and, besides them, the confidential
 * {@code client_credentials} clients the gateway uses for the bench targets: {@code bench-cc}
 * (long-lived tokens, the main bench target) and {@code bench-storm-0 … bench-storm-(N-1)}
 * (short-lived tokens, for the refresh storm). The demo CLI registers no such client, so the
 * harness runs this class inside the demo jar:
 *
 * <pre>
 * java -cp gatehouse-demo-all.jar -Dloader.path=gatehouse-bench-VERSION.jar \
 *     -Dloader.main=dev.gatehouse.bench.load.BenchIdentityProvider \
 *     org.springframework.boot.loader.launch.PropertiesLauncher \
 *     PORT SECRET_FILE STORM_CLIENTS STORM_TTL_SECONDS
 * </pre>
 *
 * Prints {@code ready http://localhost:PORT} once it accepts connections and runs until
 * killed. User access tokens live one hour, so that a run never sees its token expire.
 */
public final class BenchIdentityProvider {

	/** The client id of the main bench target's client credentials. */
	public static final String MAIN_CLIENT = "bench-cc";

	/** The prefix of the storm targets' client ids. */
	public static final String STORM_CLIENT_PREFIX = "bench-storm-";

	/** The scope the bench clients ask for. */
	public static final String SCOPE = "bench:call";

	private BenchIdentityProvider() {
	}

	/**
	 * Starts the provider.
	 * @param args port, secret file, number of storm clients, storm token lifetime in seconds
	 * @throws Exception if it cannot start
	 */
	public static void main(String[] args) throws Exception {
		if (System.getProperty("logback.configurationFile") == null) {
			System.setProperty("logback.configurationFile", "gatehouse-demo-logback.xml");
		}
		int port = Integer.parseInt(args[0]);
		String secret = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8).strip();
		int stormClients = Integer.parseInt(args[2]);
		Duration stormTtl = Duration.ofSeconds(Long.parseLong(args[3]));
		DemoIdentityProvider.Builder builder = DemoIdentityProvider.builder()
			.port(port)
			.issuer("http://localhost:" + port)
			.accessTokenTtl(Duration.ofHours(1))
			.client(client(MAIN_CLIENT, secret, Duration.ofHours(1)));
		for (int i = 0; i < stormClients; i++) {
			builder.client(client(STORM_CLIENT_PREFIX + i, secret, stormTtl));
		}
		DemoIdentityProvider idp = builder.start();
		Runtime.getRuntime().addShutdownHook(new Thread(idp::close, "bench-idp-shutdown"));
		System.out.println("ready " + idp.issuer());
		System.out.flush();
		new CountDownLatch(1).await();
	}

	private static DemoClient client(String id, String secret, Duration ttl) {
		return DemoClient.builder(id)
			.secret(secret)
			.grantTypes(DemoClient.CLIENT_CREDENTIALS)
			.scopes(SCOPE)
			.accessTokenTtl(ttl)
			.build();
	}

}
