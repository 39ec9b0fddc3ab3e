package io.bizmatters.agentexecutor.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Which process owns a TCP socket, from Linux's /proc: the socket's inode, then the process holding it. */
final class ProcessSockets {
    private ProcessSockets() {
    }

    /** The one of {@code pids} that holds the socket whose local port is {@code localPort}. */
    static Optional<Long> pidOwningLocalPort(int localPort, Collection<Long> pids) {
        List<String> inodes = socketInodes(localPort);
        for (long pid : pids) {
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                if (fds.map(ProcessSockets::linkTarget).anyMatch(target -> inodes.stream().anyMatch(i -> target.equals("socket:[" + i + "]")))) {
                    return Optional.of(pid);
                }
            } catch (IOException | RuntimeException gone) {
                // the process ended meanwhile
            }
        }
        return Optional.empty();
    }

    /** Lines of /proc/net/tcp: {@code sl local_address rem_address st ... uid timeout inode}, ports in hex. */
    private static List<String> socketInodes(int localPort) {
        String port = String.format(":%04X", localPort);
        return Stream.of("/proc/net/tcp", "/proc/net/tcp6")
                .flatMap(ProcessSockets::lines)
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length > 9 && fields[1].endsWith(port))
                .map(fields -> fields[9])
                .toList();
    }

    private static Stream<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file)).stream().skip(1);
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static String linkTarget(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
