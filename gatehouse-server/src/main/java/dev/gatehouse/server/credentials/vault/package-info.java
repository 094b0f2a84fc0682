/**
 * The token vault's keys and sealing: data keys wrapped by the master key, AES-256-GCM envelopes bound to their
 * owner by AAD, and the online rotation of the data key. See {@code README.md} in this directory.
 */
@NullMarked
package dev.gatehouse.server.credentials.vault;

import org.jspecify.annotations.NullMarked;
