package dev.gatehouse.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.idp.DemoIdentityProvider;

/**
 * What {@link DemoMain} started: the MCP servers in start order and, if asked for, the
 * demo identity provider. Closing stops them in reverse order. Idempotent.
 */
final class RunningDemo implements AutoCloseable {

	private final List<McpServerHost> hosts;

	private final @Nullable DemoIdentityProvider identityProvider;

	RunningDemo(List<McpServerHost> hosts, @Nullable DemoIdentityProvider identityProvider) {
		this.hosts = List.copyOf(hosts);
		this.identityProvider = identityProvider;
	}

	List<McpServerHost> hosts() {
		return this.hosts;
	}

	@Nullable DemoIdentityProvider identityProvider() {
		return this.identityProvider;
	}

	@Override
	public void close() {
		if (this.identityProvider != null) {
			this.identityProvider.close();
		}
		closeAll(this.hosts);
	}

	static void closeAll(List<McpServerHost> hosts) {
		List<McpServerHost> reversed = new ArrayList<>(hosts);
		Collections.reverse(reversed);
		reversed.forEach(McpServerHost::close);
	}

}
