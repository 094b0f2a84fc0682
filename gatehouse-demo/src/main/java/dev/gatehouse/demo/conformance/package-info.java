/**
 * The fixture server that the official MCP conformance suite
 * ({@code @modelcontextprotocol/conformance} 0.1.16, server mode) expects behind the URL
 * it tests: tools {@code test_*}, resources {@code test://*}, prompts {@code test_*}, one
 * completion and logging, with the names, schemas and server-to-client requests the
 * scenarios check.
 *
 * <p>
 * Entry point: {@link dev.gatehouse.demo.conformance.ConformanceFixture}. Put it behind
 * the gateway and run the suite against the gateway to test pass-through; run the suite
 * against the fixture itself to get a baseline.
 *
 * @see <a href="https://github.com/modelcontextprotocol/conformance">MCP conformance
 * suite</a>
 */
@NullMarked
package dev.gatehouse.demo.conformance;

import org.jspecify.annotations.NullMarked;
