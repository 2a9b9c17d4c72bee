/**
 * Registry credentials: auth.json (containers) and config.json (docker), credential helpers,
 * and what {@code login}/{@code logout} store. Secrets never appear in messages.
 */
package hoist.engine.auth;
