/**
 * Benchmarks of the gateway: JMH microbenchmarks of each hot-path step, measured as operations per second and
 * allocation per operation ({@code -prof gc}). Run with {@code java -jar gatehouse-bench/target/gatehouse-bench.jar}.
 */
package dev.gatehouse.bench;
