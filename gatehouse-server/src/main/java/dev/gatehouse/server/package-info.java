/**
 * The gateway application. One package per capability: {@code mcp} (the agent-facing endpoint),
 * {@code catalog} (targets and their tools), {@code upstream} (MCP client sessions to targets),
 * {@code credentials}, {@code access}, {@code audit}, {@code monitor}, {@code egress}, {@code admin},
 * {@code cluster} and {@code config}.
 */
@NullMarked
package dev.gatehouse.server;

import org.jspecify.annotations.NullMarked;
