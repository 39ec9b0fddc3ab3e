package io.bizmatters.agentexecutor;

import io.bizmatters.agentexecutor.config.MissingSettings;
import io.bizmatters.agentexecutor.config.PostgresSettings;
import io.bizmatters.agentexecutor.jobs.Migrations;

/** {@code java -jar agent-executor.jar [migrate]}: runs the service, or applies the database migrations and exits. */
public final class Main {
    /** The argument scripts/ci/run-migrations.sh (the init container) passes. */
    public static final String MIGRATE_COMMAND = "migrate";

    private Main() {
    }

    public static void main(String[] args) {
        try {
            if (args.length > 0 && MIGRATE_COMMAND.equals(args[0])) {
                migrate();
                return;
            }
            new ExecutorApplication(System.getenv(), EngineAssembly::create).runUntilStopped();
        } catch (MissingSettings e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("Service failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void migrate() {
        try {
            int applied = Migrations.apply(PostgresSettings.fromEnvironment(System.getenv()));
            System.out.println("Migrations complete: " + applied + " applied");
        } catch (MissingSettings e) {
            throw e;
        } catch (RuntimeException e) {
            // Flyway's message names the database, the script and the SQL error; a stack trace adds nothing.
            System.err.println("Migration failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
