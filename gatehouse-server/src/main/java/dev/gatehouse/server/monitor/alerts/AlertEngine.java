package dev.gatehouse.server.monitor.alerts;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatehouse.core.audit.AuditEvent;
import dev.gatehouse.server.audit.AuditListener;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.config.GatehouseProperties;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The alert rules over the audit trail. {@link #onAudit} runs on the audit writer thread and only queues the
 * record; one thread of its own ({@code gatehouse-alerts}) evaluates each record in order against the threshold
 * rules and the users' baselines, stores what fires ({@link AlertStore}) and hands new alerts to
 * {@link AlertDelivery}. The same thread adds hourly call counts to the database and checks call rates every
 * {@code gatehouse.alerts.baseline.flush-interval}. A full queue skips records (for alerts only) with a warning.
 * <p>
 * A new alert is itself recorded in the audit trail ({@value #ALERT_RAISED}, by the instance that inserted it);
 * records whose type starts with {@value #OWN_PREFIX} are never evaluated, so that an alert cannot feed the rules
 * (not even a rule configured to count every type).
 */
@Component
final class AlertEngine implements AuditListener {

	private static final Logger logger = LoggerFactory.getLogger(AlertEngine.class);

	/** The audit record of a new alert. */
	static final String ALERT_RAISED = "alert_raised";

	/** The prefix of the alerts' own audit records, which the rules ignore. */
	static final String OWN_PREFIX = "alert_";

	/** Tool call outcomes that do not teach the baseline: the call reached no tool. */
	private static final Set<String> NOT_LEARNT = Set.of("denied", "unknown_tool");

	private final AlertsProperties properties;

	private final JdbcClient jdbc;

	private final AlertStore store;

	private final AlertDelivery delivery;

	private final AuditTrail audit;

	private final Clock clock;

	private final List<ThresholdRule> rules;

	private final Baseline baseline;

	private final ScheduledThreadPoolExecutor executor;

	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicLong skipped = new AtomicLong();

	private volatile @Nullable AuditEvent lastEvaluated;

	private Instant lastPrune = Instant.EPOCH;

	private @Nullable Instant latest;

	AlertEngine(GatehouseProperties gateway, JdbcClient jdbc, AlertStore store, AlertDelivery delivery,
			AuditTrail audit, Clock clock) {
		this.properties = gateway.alerts();
		this.jdbc = jdbc;
		this.store = store;
		this.delivery = delivery;
		this.audit = audit;
		this.clock = clock;
		this.rules = AlertRules.thresholdRules(properties.rules());
		this.baseline = new Baseline(jdbc, properties.baseline().period());
		AtomicInteger counter = new AtomicInteger();
		this.executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "gatehouse-alerts-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		long flush = properties.baseline().flushInterval().toMillis();
		if (properties.enabled()) {
			executor.scheduleWithFixedDelay(this::flushAndPrune, flush, flush, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void onAudit(AuditEvent event) {
		if (!properties.enabled() || event.type().startsWith(OWN_PREFIX)) {
			return;
		}
		if (queued.incrementAndGet() > properties.queueCapacity()) {
			queued.decrementAndGet();
			if (skipped.incrementAndGet() % 1000 == 1) {
				logger.warn("The alert queue is full; audit records are skipped by the alert rules ({} so far)",
						skipped.get());
			}
			return;
		}
		try {
			executor.execute(() -> {
				queued.decrementAndGet();
				try {
					evaluate(event);
				}
				catch (RuntimeException ex) {
					logger.warn("Evaluating the alert rules on a {} record failed: {}", event.type(), ex.toString());
				}
				lastEvaluated = event;
			});
		}
		catch (RejectedExecutionException stopping) {
			queued.decrementAndGet();
		}
	}

	private void evaluate(AuditEvent event) {
		latest = event.at();
		for (ThresholdRule rule : rules) {
			rule.evaluate(event, jdbc).ifPresent(this::fire);
		}
		if (AuditEvent.TOOL_CALL.equals(event.type())) {
			learn(event);
		}
	}

	/** Updates the caller's baseline with a tool call, and fires what it reveals once the warm-up is over. */
	private void learn(AuditEvent call) {
		String issuer = call.issuer();
		String subject = call.subject();
		if (issuer == null || subject == null || NOT_LEARNT.contains(String.valueOf(call.outcome()))) {
			return;
		}
		Instant at = call.at();
		Instant since = baseline.userSince(issuer, subject, at);
		boolean newTarget = call.target() != null && baseline.observe(issuer, subject, "target", call.target(), at);
		boolean newTool = call.tool() != null && baseline.observe(issuer, subject, "tool", call.tool(), at);
		String clientId = call.text("client_id");
		boolean newClient = clientId != null && baseline.observe(issuer, subject, "client", clientId, at);
		baseline.countCall(issuer, subject, at);
		if (since.plus(properties.baseline().warmUp()).isAfter(at)) {
			return;
		}
		AlertsProperties.Rules r = properties.rules();
		if (newTarget && r.newTarget().enabled()) {
			fire(AlertRules.novelty("new-target", r.newTarget().severity(), call, subject + " called target '"
					+ call.target() + "' for the first time", since));
		}
		else if (newTool && r.newTool().enabled()) {
			fire(AlertRules.novelty("new-tool", r.newTool().severity(), call, subject + " called tool '" + call.tool()
					+ "' for the first time", since));
		}
		if (newClient && r.newClient().enabled()) {
			fire(AlertRules.novelty("new-client", r.newClient().severity(), call, subject + " used client '" + clientId
					+ "' for the first time", since));
		}
	}

	private void fire(Candidate candidate) {
		AlertStore.Fired fired = store.fire(candidate);
		if (fired.inserted()) {
			raised(fired.alert());
			delivery.deliver(fired.alert());
		}
	}

	/** Records a new alert in the audit trail: what fired, for whom, never its details (they are in the alert). */
	private void raised(Alert alert) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("alert_id", alert.id());
		fields.put("rule", alert.rule());
		fields.put("severity", alert.severity().id());
		fields.put("scope", alert.scopeKey());
		Object issuer = alert.details().get("issuer");
		Object subject = alert.details().get("subject");
		if (issuer != null && subject != null) {
			fields.put("issuer", issuer.toString());
			fields.put("subject", subject.toString());
		}
		Object target = alert.details().get("target");
		if (target != null) {
			fields.put("target", target.toString());
		}
		fields.put("title", alert.title());
		try {
			audit.event(ALERT_RAISED, fields);
		}
		catch (RuntimeException ex) {
			// the overflow policy refused it: the alert itself is stored and delivered all the same
			logger.warn("Recording alert {} in the audit trail failed: {}", alert.id(), ex.toString());
		}
	}

	/** Adds the hourly counts to the database, checks the call rates of the users counted, prunes old rows. */
	private void flushAndPrune() {
		try {
			checkRates(baseline.flush());
			Instant now = clock.instant();
			if (Duration.between(lastPrune, now).compareTo(Duration.ofHours(1)) >= 0) {
				lastPrune = now;
				baseline.prune(now);
				Duration longest = rules.stream().map(ThresholdRule::window).max(Duration::compareTo)
					.orElse(Duration.ZERO);
				jdbc.sql("delete from alert_hit where at < ?").param(Timestamp.from(now.minus(longest))).update();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Updating the alert baselines failed: {}", ex.toString());
		}
	}

	private void checkRates(List<Baseline.UserHour> hours) {
		AlertsProperties.CallRate rate = properties.rules().callRate();
		if (!rate.enabled() || latest == null) {
			return;
		}
		for (Baseline.UserHour h : hours) {
			long calls = baseline.calls(h);
			if (calls < rate.minCalls()) {
				continue;
			}
			Instant since = baseline.userSince(h.issuer(), h.subject(), h.hour());
			Double average = baseline.hourlyAverage(h);
			if (average == null || since.plus(properties.baseline().warmUp()).isAfter(h.hour())
					|| calls <= rate.factor() * average) {
				continue;
			}
			fire(AlertRules.callRate(rate, h, calls, average, latest));
		}
	}

	/** For tests: waits until everything queued so far, and a flush of the call counts, has been done. */
	void flushNow() {
		await(() -> flushAndPrune());
	}

	/** For tests: the latest record evaluated. */
	@Nullable AuditEvent lastEvaluated() {
		return lastEvaluated;
	}

	private void await(Runnable task) {
		try {
			executor.submit(task).get(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@PreDestroy
	void close() {
		executor.shutdownNow();
	}
}
