/**
 * Coordination between gateway instances that share one database, without sticky sessions and without a
 * message broker: an append-only event table that every instance tails (session ended, catalog changed,
 * request cancelled, notification for a held stream). Local listeners get an event at once; the other
 * instances within {@code gatehouse.cluster.poll-interval}.
 */
@NullMarked
package dev.gatehouse.server.cluster;

import org.jspecify.annotations.NullMarked;
