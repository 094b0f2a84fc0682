package dev.gatehouse.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The configuration files the harness generates: nginx as a bare reverse proxy, and the gateway's Spring Boot
 * YAML, targets file and access policy. Pure text, no I/O.
 */
final class StackFiles {

	/** The gateway's main bench target. */
	static final String BENCH_TARGET = "bench";

	/** The prefix of the refresh storm's targets. */
	static final String STORM_TARGET_PREFIX = "storm-";

	/** The demo user whose token the load client sends (role risk-analyst). */
	static final String BENCH_USER = "alice";

	private StackFiles() {
	}

	/**
	 * nginx in the foreground, one process (no master), one worker's worth of connections, no access log: a
	 * reverse proxy to the upstream with HTTP/1.1 keep-alive (as a gateway would be deployed), plus
	 * {@code /static.json} served from {@code dir} to qualify the upstream.
	 * @param dir the work directory (temp files, the static file, the pid file)
	 * @param port nginx's port on 127.0.0.1
	 * @param upstreamPort the fake upstream's port
	 * @return the configuration
	 */
	static String nginx(String dir, int port, int upstreamPort) {
		return """
				daemon off;
				master_process off;
				worker_processes 1;
				worker_rlimit_nofile 65536;
				pid %1$s/nginx.pid;
				events { worker_connections 16384; }
				http {
				  access_log off;
				  client_body_temp_path %1$s/nginx-tmp/body;
				  proxy_temp_path %1$s/nginx-tmp/proxy;
				  fastcgi_temp_path %1$s/nginx-tmp/fastcgi;
				  uwsgi_temp_path %1$s/nginx-tmp/uwsgi;
				  scgi_temp_path %1$s/nginx-tmp/scgi;
				  keepalive_requests 100000;
				  upstream fake_upstream {
				    server 127.0.0.1:%3$d;
				    keepalive 256;
				  }
				  server {
				    listen 127.0.0.1:%2$d backlog=4096;
				    location = /static.json {
				      root %1$s;
				      default_type application/json;
				    }
				    location / {
				      proxy_pass http://fake_upstream;
				      proxy_http_version 1.1;
				      proxy_set_header Connection "";
				      proxy_buffering off;
				      proxy_request_buffering off;
				    }
				  }
				}
				""".formatted(dir, port, upstreamPort);
	}

	/**
	 * The gateway's configuration: the demo IdP as the trusted issuer, an H2 database in the work directory,
	 * the targets file, the policy, loopback upstreams allowed; the audit trail on (hash-chained table), its
	 * per-record log stream off (it would write about a gigabyte of log lines per run); upstream tokens
	 * refreshed 2 s before they expire (the storm's tokens live seconds) on use only (no background sweep, so
	 * that the storm's callers meet the expiry); no catalog re-synchronisation during the run; enough
	 * connections for the held sessions; {@code /actuator/prometheus} read with the token in
	 * {@code management.token}.
	 * @param dir the work directory
	 * @param port the gateway's port
	 * @param idpPort the identity provider's port
	 * @param maxConnections Tomcat's connection limit
	 * @return the YAML
	 */
	static String gatewayYaml(String dir, int port, int idpPort, int maxConnections) {
		return """
				server:
				  port: %2$d
				  address: 127.0.0.1
				  tomcat:
				    max-connections: %4$d
				    accept-count: 4096
				spring:
				  security:
				    oauth2:
				      resourceserver:
				        jwt:
				          issuer-uri: http://localhost:%3$d
				management:
				  endpoints:
				    web:
				      exposure:
				        include: health,prometheus
				gatehouse:
				  public-url: http://localhost:%2$d
				  data-dir: %1$s/data
				  targets-file: %1$s/targets.json
				  vault:
				    master-key-file: %1$s/master.key
				  management:
				    token: file:%1$s/management.token
				  access:
				    policy-file: %1$s/policy.yaml
				  upstream:
				    allow-insecure-loopback: true
				  oauth:
				    refresh-skew: 2s
				    sweep-interval: 1h
				  catalog:
				    sync-interval: 1h
				  audit:
				    stream: none
				""".formatted(dir, port, idpPort, maxConnections);
	}

	/**
	 * The targets: {@code bench} and {@code storm-0 … storm-(n-1)}, all on the fake upstream, all OAuth
	 * client-credentials targets of the bench IdP (so the gateway holds their tokens in its vault).
	 * @param dir the work directory (holds {@code client.secret})
	 * @param upstreamPort the fake upstream's port
	 * @param idpPort the identity provider's port
	 * @param stormTargets the number of storm targets
	 * @return the JSON list
	 */
	static String targets(String dir, int upstreamPort, int idpPort, int stormTargets) {
		List<String> targets = new ArrayList<>();
		targets.add(target(BENCH_TARGET, BenchIdentityProvider.MAIN_CLIENT, dir, upstreamPort, idpPort));
		for (int i = 0; i < stormTargets; i++) {
			targets.add(target(STORM_TARGET_PREFIX + i, BenchIdentityProvider.STORM_CLIENT_PREFIX + i, dir,
					upstreamPort, idpPort));
		}
		return "[\n  " + String.join(",\n  ", targets) + "\n]\n";
	}

	private static String target(String name, String clientId, String dir, int upstreamPort, int idpPort) {
		return ("{\"name\": \"%s\", \"endpoint\": \"http://127.0.0.1:%d/mcp\", \"auth\": {\"type\": \"oauth2\", "
				+ "\"grantType\": \"client_credentials\", \"tokenUrl\": \"http://localhost:%d/oauth2/token\", "
				+ "\"scopes\": [\"%s\"], \"clientId\": \"%s\", \"clientSecret\": \"file:%s/client.secret\"}}")
			.formatted(name, upstreamPort, idpPort, BenchIdentityProvider.SCOPE, clientId, dir);
	}

	/**
	 * The access policy: the bench user's role may call the bench and storm targets; nothing else is allowed.
	 * @return the YAML
	 */
	static String policy() {
		return """
				mode: enforce
				roleMappings:
				  - {claim: roles, value: "*"}
				rules:
				  - {id: bench, effect: allow, roles: [risk-analyst], targets: [bench, "storm-*"]}
				""";
	}

}
