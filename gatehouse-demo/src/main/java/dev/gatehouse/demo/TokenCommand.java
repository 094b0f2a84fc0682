package dev.gatehouse.demo;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.demo.idp.HeadlessLogin;
import dev.gatehouse.demo.idp.HeadlessLoginException;

/**
 * {@code token USER --issuer URL --resource URL [--password P] [--scope S]}: logs a demo user in at the demo
 * identity provider (authorization code + PKCE, as a browser would) and prints an access token for the gateway,
 * so that a command-line MCP client can send it. Demo only.
 */
final class TokenCommand {

	static final String USAGE = """
			Usage: gatehouse-demo token USER --issuer URL --resource URL [--password PASSWORD] [--scope SCOPES]
			  Prints an access token of the demo user USER for the resource (the gateway's MCP URL).""";

	private TokenCommand() {
	}

	/** Runs the command; returns the process exit code. */
	static int run(String[] args, PrintStream out, PrintStream err) {
		if (args.length < 2 || args[1].startsWith("--")) {
			err.println(USAGE);
			return 2;
		}
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 2; i < args.length; i += 2) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) {
				err.println("gatehouse-demo token: '" + args[i] + "' needs a value\n" + USAGE);
				return 2;
			}
			options.put(args[i], args[i + 1]);
		}
		if (!options.containsKey("--issuer") || !options.containsKey("--resource")) {
			err.println("gatehouse-demo token: --issuer and --resource are required\n" + USAGE);
			return 2;
		}
		try {
			HeadlessLogin login = HeadlessLogin.builder(options.get("--issuer"))
				.scope(options.getOrDefault("--scope", "openid profile email roles"))
				.resource(options.get("--resource"))
				.build();
			out.println(login.login(args[1], options.getOrDefault("--password", "password")).accessToken());
			return 0;
		}
		catch (HeadlessLoginException ex) {
			err.println("gatehouse-demo token: " + ex.getMessage());
			return 1;
		}
	}
}
