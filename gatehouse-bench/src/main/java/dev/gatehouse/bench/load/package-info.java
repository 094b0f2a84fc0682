/**
 * The load harness ({@code ./gatehouse bench}): a lean fake upstream MCP server, a raw-socket HTTP/1.1 load
 * client (closed-loop saturation and open-loop fixed-rate latency with coordinated-omission correction), the
 * orchestration of the treatments (direct, nginx as a bare reverse proxy, the gateway's full pipeline), CPU and
 * memory sampling from {@code /proc}, held sessions, a refresh storm, and the JSON result with its summary.
 * Entry point: {@link dev.gatehouse.bench.load.BenchMain}. See {@code docs/performance.md}, "Load harness".
 */
package dev.gatehouse.bench.load;
