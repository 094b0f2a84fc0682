package dev.gatehouse.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StackFilesTests {

	@Test
	void nginxIsABareKeepAliveReverseProxyInTheForeground() {
		String config = StackFiles.nginx("/tmp/w", 18701, 18702);
		assertThat(config).contains("daemon off;", "master_process off;", "listen 127.0.0.1:18701",
				"server 127.0.0.1:18702;", "keepalive 256;", "proxy_http_version 1.1;",
				"proxy_set_header Connection \"\";", "proxy_buffering off;", "access_log off;", "root /tmp/w;");
	}

	@Test
	void targetsAreTheBenchTargetAndTheStormTargetsAllWithClientCredentials() {
		String targets = StackFiles.targets("/tmp/w", 18702, 18703, 3);
		assertThat(targets.split("\"grantType\": \"client_credentials\"")).hasSize(5);
		assertThat(targets).contains("\"name\": \"bench\"", "\"clientId\": \"bench-cc\"", "\"name\": \"storm-2\"",
				"\"clientId\": \"bench-storm-2\"", "\"tokenUrl\": \"http://localhost:18703/oauth2/token\"",
				"\"endpoint\": \"http://127.0.0.1:18702/mcp\"", "\"clientSecret\": \"file:/tmp/w/client.secret\"")
			.doesNotContain("storm-3");
	}

	@Test
	void gatewayYamlPointsAtTheWorkDirectoryAndTheIdentityProvider() {
		String yaml = StackFiles.gatewayYaml("/tmp/w", 18704, 18703, 12000);
		assertThat(yaml).contains("port: 18704", "max-connections: 12000", "issuer-uri: http://localhost:18703",
				"public-url: http://localhost:18704", "targets-file: /tmp/w/targets.json",
				"master-key-file: /tmp/w/master.key", "policy-file: /tmp/w/policy.yaml",
				"allow-insecure-loopback: true", "token: file:/tmp/w/management.token");
	}

	@Test
	void policyAllowsTheBenchUsersRoleOnTheBenchTargetsOnly() {
		assertThat(StackFiles.policy()).contains("mode: enforce", "roles: [risk-analyst]",
				"targets: [bench, \"storm-*\"]");
	}

}
