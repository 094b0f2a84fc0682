/**
 * Role-based access policy: how token claims become gateway roles, rules that allow or deny roles the use of
 * targets' tools, prompts and resources (deny wins, wildcards, conditions on tool arguments), a log-only mode,
 * and which of a target's OAuth scopes each role may obtain. Pure: no I/O, no clock.
 */
@NullMarked
package dev.gatehouse.core.policy;

import org.jspecify.annotations.NullMarked;
