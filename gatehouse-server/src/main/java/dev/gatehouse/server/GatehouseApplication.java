package dev.gatehouse.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Gatehouse MCP gateway. See {@code docs/architecture.md} for the reading order.
 */
@SpringBootApplication(excludeName = {
		// No generated in-memory user: people log in with OIDC, agents with bearer tokens.
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		// The gateway builds its own decoders, one per trusted issuer (access.IssuerDecoders).
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration" })
@ConfigurationPropertiesScan
@EnableScheduling
public class GatehouseApplication {

	public static void main(String[] args) {
		SpringApplication.run(GatehouseApplication.class, args);
	}

}
