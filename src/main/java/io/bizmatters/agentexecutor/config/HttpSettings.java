package io.bizmatters.agentexecutor.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The HTTP server's guard settings (docs/operations.md, "Security"):
 * <pre>
 * API_TOKEN                     when set, every endpoint but /health, /ready and /metrics needs
 *                               "Authorization: Bearer &lt;token&gt;"
 * API_TOKEN_FILE                a mounted file holding the token instead (a trailing newline is dropped)
 * HTTP_REQUEST_TIMEOUT_SECONDS  how long a request's body may take to arrive, default 30
 * HTTP_IDLE_TIMEOUT_SECONDS     how long a kept-alive connection may sit without a request, default 60
 * </pre>
 *
 * @param apiToken empty when access control is off; never rendered by {@link #toString()}
 */
public record HttpSettings(String apiToken, Duration requestTimeout, Duration idleTimeout) {

    public static HttpSettings from(SettingsReader reader) {
        return new HttpSettings(apiToken(reader),
                Duration.ofSeconds(reader.positiveInt("HTTP_REQUEST_TIMEOUT_SECONDS")),
                Duration.ofSeconds(reader.positiveInt("HTTP_IDLE_TIMEOUT_SECONDS")));
    }

    public boolean accessControlled() {
        return !apiToken.isEmpty();
    }

    private static String apiToken(SettingsReader reader) {
        String token = reader.secret("API_TOKEN");
        String file = reader.text("API_TOKEN_FILE");
        if (!token.isEmpty() && !file.isEmpty()) {
            reader.problem("set API_TOKEN or API_TOKEN_FILE, not both");
            return token;
        }
        if (file.isEmpty()) {
            return token;
        }
        try {
            String fromFile = Files.readString(Path.of(file), StandardCharsets.UTF_8).stripTrailing();
            if (fromFile.isEmpty()) {
                reader.problem("API_TOKEN_FILE " + file + " is empty");
            }
            return fromFile;
        } catch (IOException e) {
            reader.problem("API_TOKEN_FILE " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
            return "";
        }
    }

    @Override
    public String toString() {
        return "http access control " + (accessControlled() ? "on (bearer token)" : "off")
                + ", request timeout " + requestTimeout.toSeconds() + "s, idle timeout " + idleTimeout.toSeconds() + "s";
    }
}
