package dev.gatehouse.server.monitor;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.gatehouse.server.config.GatehouseProperties;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Tracing with the OpenTelemetry SDK, used directly (no agent, no auto-instrumentation): the {@code mcp} package
 * opens a span per tool call, the {@code upstream} package a client span per call to a target, and W3C Trace
 * Context ({@code traceparent}, {@code tracestate}) is read from agents and written to targets.
 * <p>
 * Off unless {@code gatehouse.tracing.enabled}: then {@link #enabled()} is {@code false}, callers skip tracing
 * altogether, and the tracer and propagator are no-ops. Spans go to OTLP over HTTP when
 * {@code gatehouse.tracing.otlp-endpoint} is set, and to any {@link SpanExporter} bean (tests use an in-memory
 * one). Spans carry names and identifiers, never tokens or tool arguments. Thread-safe.
 *
 * @see <a href="https://www.w3.org/TR/trace-context/">W3C Trace Context</a>
 */
@Component
public final class Tracing {

	/** The target a span is about. */
	public static final AttributeKey<String> TARGET = AttributeKey.stringKey("gatehouse.target");

	/** The exposed tool name ({@code target___tool}). */
	public static final AttributeKey<String> TOOL = AttributeKey.stringKey("gatehouse.tool");

	/** How the tool call ended, as in the audit trail ({@code success}, {@code upstream_error}, ...). */
	public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("gatehouse.outcome");

	/** The MCP method ({@code tools/call}), as in the OpenTelemetry MCP semantic conventions. */
	public static final AttributeKey<String> MCP_METHOD = AttributeKey.stringKey("mcp.method.name");

	/** The tool's name at the target. */
	public static final AttributeKey<String> UPSTREAM_TOOL = AttributeKey.stringKey("gen_ai.tool.name");

	/** The caller's subject (never a token). */
	public static final AttributeKey<String> SUBJECT = AttributeKey.stringKey("enduser.id");

	private static final Logger logger = LoggerFactory.getLogger(Tracing.class);

	private static final TextMapGetter<Function<String, @Nullable String>> GETTER = new TextMapGetter<>() {

		@Override
		public Iterable<String> keys(Function<String, @Nullable String> carrier) {
			return List.of("traceparent", "tracestate");
		}

		@Override
		public @Nullable String get(@Nullable Function<String, @Nullable String> carrier, String key) {
			return (carrier != null) ? carrier.apply(key) : null;
		}
	};

	private static final TextMapSetter<BiConsumer<String, String>> SETTER = (carrier, key, value) -> {
		if (carrier != null) {
			carrier.accept(key, value);
		}
	};

	private final boolean enabled;

	private final @Nullable SdkTracerProvider provider;

	private final Tracer tracer;

	private final TextMapPropagator propagator;

	public Tracing(GatehouseProperties properties, ObjectProvider<SpanExporter> exporters) {
		GatehouseProperties.Tracing settings = properties.tracing();
		this.enabled = settings.enabled();
		if (!enabled) {
			this.provider = null;
			this.tracer = TracerProvider.noop().get("dev.gatehouse");
			this.propagator = TextMapPropagator.noop();
			return;
		}
		SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
			.setResource(Resource.getDefault()
				.merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), settings.serviceName()))))
			.setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.samplingProbability())));
		if (settings.otlpEndpoint() != null) {
			builder.addSpanProcessor(BatchSpanProcessor
				.builder(OtlpHttpSpanExporter.builder().setEndpoint(settings.otlpEndpoint().toString()).build())
				.build());
			// The host only: a URL may carry credentials.
			logger.info("Tracing on: spans are exported with OTLP to host {}", settings.otlpEndpoint().getHost());
		}
		else {
			logger.info("Tracing on: spans are created and traceparent propagated, but not exported "
					+ "(no gatehouse.tracing.otlp-endpoint)");
		}
		exporters.orderedStream().forEach((exporter) -> builder.addSpanProcessor(SimpleSpanProcessor.create(exporter)));
		this.provider = builder.build();
		this.tracer = provider.get("dev.gatehouse");
		this.propagator = W3CTraceContextPropagator.getInstance();
	}

	/** Whether tracing is on; when it is off, callers need not call anything else. */
	public boolean enabled() {
		return enabled;
	}

	/**
	 * The trace context an agent sent ({@code traceparent}, {@code tracestate}), or the root context when it sent
	 * none or tracing is off.
	 * @param headers the request's header values by name
	 */
	public Context extract(Function<String, @Nullable String> headers) {
		return enabled ? propagator.extract(Context.root(), headers, GETTER) : Context.root();
	}

	/**
	 * Starts the span of one tool call, the child of {@code parent}; the caller makes it current while the call
	 * runs and ends it. An invalid span when tracing is off.
	 * @param exposedName the tool's exposed name when the catalog has it, else {@code null} (a made-up name must
	 * not become a span name)
	 */
	public Span startToolCall(Context parent, @Nullable String exposedName, String subject) {
		if (!enabled) {
			return Span.getInvalid();
		}
		SpanBuilder builder = tracer.spanBuilder((exposedName != null) ? "tools/call " + exposedName : "tools/call")
			.setParent(parent)
			.setSpanKind(SpanKind.SERVER)
			.setAttribute(MCP_METHOD, "tools/call")
			.setAttribute(SUBJECT, subject);
		if (exposedName != null) {
			builder.setAttribute(TOOL, exposedName);
		}
		return builder.startSpan();
	}

	/** Records how a tool call ended on its span; an upstream failure marks the span as an error. */
	public void endToolCall(Span span, @Nullable String target, @Nullable String upstreamTool, String outcome,
			boolean failed) {
		if (!span.isRecording()) {
			return;
		}
		if (target != null) {
			span.setAttribute(TARGET, target);
		}
		if (upstreamTool != null) {
			span.setAttribute(UPSTREAM_TOOL, upstreamTool);
		}
		span.setAttribute(OUTCOME, outcome);
		if (failed) {
			span.setStatus(StatusCode.ERROR, outcome);
		}
	}

	/**
	 * Starts a client span for a request to a target, the child of the current span; {@code null} when there is
	 * no current span (tracing off, or a request made outside a tool call), so that nothing is traced alone.
	 */
	public @Nullable Span startUpstream(String method, String target, String host, int port) {
		if (!enabled || !Span.current().getSpanContext().isValid()) {
			return null;
		}
		return tracer.spanBuilder(method + " " + target)
			.setSpanKind(SpanKind.CLIENT)
			.setAttribute(MCP_METHOD, method)
			.setAttribute(TARGET, target)
			.setAttribute("server.address", host)
			.setAttribute("server.port", (long) port)
			.startSpan();
	}

	/** Writes the current trace context ({@code traceparent}, {@code tracestate}) into an outgoing request. */
	public void inject(BiConsumer<String, String> headers) {
		if (enabled) {
			propagator.inject(Context.current(), headers, SETTER);
		}
	}

	@PreDestroy
	void close() {
		if (provider != null) {
			provider.shutdown().join(5, TimeUnit.SECONDS);
		}
	}
}
