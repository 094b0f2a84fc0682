package dev.gatehouse.server.upstream;

import dev.gatehouse.core.jsonrpc.JsonRpcNotification;

/**
 * Receives notifications a target sends outside any request (on its GET stream): {@code list_changed},
 * {@code resources/updated}.
 */
public interface TargetNotificationSink {

	void onTargetNotification(String target, String scope, JsonRpcNotification notification);

}
