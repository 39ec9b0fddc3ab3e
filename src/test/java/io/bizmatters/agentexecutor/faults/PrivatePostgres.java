package io.bizmatters.agentexecutor.faults;

import io.bizmatters.agentexecutor.testsupport.TestServers;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the fault suite's own (initdb and pg_ctl of the newest installed
 * version, a data directory in the run's folder, a free port), so the suite can restart it as a
 * crash would without touching the machine's shared server. initdb refuses root, so as root every
 * command runs as the {@code postgres} user.
 */
final class PrivatePostgres implements AutoCloseable {
    static final String USER = "postgres";
    static final String DATABASE = "postgres";
    /** Trust authentication accepts any password; the service requires one to be set. */
    static final String PASSWORD = "fault-suite";

    private final Path bin;
    private final Path directory;
    private final Path runFolder;
    private final int port;

    private PrivatePostgres(Path bin, Path directory, Path runFolder, int port) {
        this.bin = bin;
        this.directory = directory;
        this.runFolder = runFolder;
        this.port = port;
    }

    /**
     * Creates the cluster in a temporary directory (the postgres user must reach it, which a
     * checkout's folders may not allow) and starts it; closing copies its log to {@code runFolder}.
     */
    static PrivatePostgres start(Path runFolder) throws IOException {
        Path directory = Files.createTempDirectory("fault-suite-postgres-");
        PrivatePostgres postgres = new PrivatePostgres(newestBin(), directory, runFolder, TestServers.freePort());
        if (isRoot()) {
            run(List.of("chown", "-R", USER, directory.toString()));
        }
        postgres.asOwner(List.of(postgres.bin.resolve("initdb").toString(), "-D", postgres.data(), "-U", USER,
                "-A", "trust", "-E", "UTF8", "--no-sync"));
        postgres.startServer();
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::closeQuietly));
        return postgres;
    }

    int port() {
        return port;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, USER, PASSWORD);
    }

    /** Stops the server as a crash would (immediate: no checkpoint, clients cut off), then starts it again. */
    void crashAndRestart() throws IOException {
        stopServer("immediate");
        startServer();
    }

    @Override
    public void close() throws IOException {
        stopQuietly();
        Path log = directory.resolve("postgres.log");
        if (Files.exists(log)) {
            Files.copy(log, runFolder.resolve("postgres.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    private void startServer() throws IOException {
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-l", directory.resolve("postgres.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -h 127.0.0.1 -k " + directory + " -F -c max_connections=200",
                "start"));
    }

    private void stopServer(String mode) throws IOException {
        asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", mode, "-w", "-t", "60", "stop"));
    }

    /** At JVM exit (a run that was stopped): nothing of the cluster stays behind. */
    private void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException ignored) {
            // best effort while the JVM exits
        }
    }

    private void stopQuietly() {
        if (Files.exists(directory.resolve("data/postmaster.pid"))) {
            try {
                stopServer("immediate");
            } catch (IOException | RuntimeException ignored) {
                // best effort at the end of a run; the log in the run folder tells why
            }
        }
    }

    private String data() {
        return directory.resolve("data").toString();
    }

    private void asOwner(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException {
        File output = Files.createTempFile("pg-command-", ".log").toFile();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(output)).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 90 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + Files.readString(output.toPath()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(output.toPath());
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path newestBin() throws IOException {
        Path installed = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(installed)) {
            throw new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)");
        }
        try (Stream<Path> versions = Files.list(installed)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no initdb under /usr/lib/postgresql/*/bin"));
        }
    }
}
