/** OpenTelemetry traces and log lines: a span per delivery, engine run, model call, tool execution and checkpoint write, with the trace id the contract derives. */
package io.bizmatters.agentexecutor.telemetry;
