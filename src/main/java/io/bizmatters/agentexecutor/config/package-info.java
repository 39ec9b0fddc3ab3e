/** The service's settings, read from the environment once at start-up, with one error naming every bad or missing variable. */
package io.bizmatters.agentexecutor.config;
