/**
 * Alerts: a small rule engine over the audit trail (an {@code AuditListener}) with sliding windows counted in the
 * database, per-user baselines kept in the database, deduplicated alerts ({@code alert} table, one open alert per
 * rule and scope across instances), and their delivery to the log and to webhooks (generic JSON, Slack). The admin
 * API is {@code /admin/api/alerts}; {@code docs/alerts.md} is the reference.
 */
@NullMarked
package dev.gatehouse.server.monitor.alerts;

import org.jspecify.annotations.NullMarked;
