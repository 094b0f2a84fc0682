package dev.gatehouse.server.config;

import java.time.Clock;

import dev.gatehouse.core.crypto.KeyRing;
import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.mcp.ExposedNames;
import dev.gatehouse.core.target.UrlRules;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The plain values every capability shares: the clock, this instance's id, the master key ring, the JSON-RPC codec.
 */
@Configuration(proxyBeanMethods = false)
class CoreBeans {

	/** The system clock, unless the embedding application (a test with a stepped clock) registered its own. */
	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean(Clock.class)
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	KeyRing masterKeys(GatehouseProperties properties) {
		return KeyMaterial.load(System.getenv(KeyMaterial.ENV), properties.vault().masterKeyFile(),
				System.getenv(KeyMaterial.PREVIOUS_ENV), properties.vault().previousMasterKeyFile());
	}

	@Bean
	InstanceId instanceId() {
		return InstanceId.random();
	}

	@Bean
	JsonRpcCodec jsonRpcCodec() {
		return new JsonRpcCodec();
	}

	@Bean
	ExposedNames exposedNames(GatehouseProperties properties) {
		return new ExposedNames(properties.mcp().toolSeparator());
	}

	@Bean
	UrlRules urlRules(GatehouseProperties properties) {
		return new UrlRules(properties.upstream().allowInsecureLoopback());
	}
}
