package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.config.MissingSettings;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.jobs.Migrations;

/** {@code java -jar agent-executor.jar [migrate]}: runs the service, or applies the database migrations and exits. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        try {
            if (args.length > 0 && "migrate".equals(args[0])) {
                int applied = Migrations.apply(PostgresSettings.fromEnvironment(System.getenv()));
                System.out.println("Migrations complete: " + applied + " applied");
                return;
            }
            new ExecutorApplication(System.getenv(), AgentEngine::create).runUntilStopped();
        } catch (MissingSettings e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println((args.length > 0 ? "Migration failed: " : "Service failed: ") + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }
}
