package io.bizmatters.agentexecutor.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every package of src/main says in its package-info.java what it holds, so a reader knows which room to open. */
class PackageInfoTest {
    private static final Path ROOT = Path.of("src/main/java/io/bizmatters/agentexecutor");

    @Test
    void everyPackageSaysWhatItHolds() throws IOException {
        List<Path> packages;
        try (Stream<Path> dirs = Files.walk(ROOT)) {
            packages = dirs.filter(Files::isDirectory).filter(PackageInfoTest::holdsClasses).toList();
        }
        assertThat(packages).hasSizeGreaterThan(10);
        for (Path dir : packages) {
            Path info = dir.resolve("package-info.java");
            assertThat(info).as("package-info.java of %s", ROOT.relativize(dir)).exists();
            assertThat(Files.readString(info)).as(info.toString()).containsPattern("/\\*\\* [A-Z].+\\. \\*/");
        }
    }

    /** A folder that only holds subpackages (ingress) is no package of its own. */
    private static boolean holdsClasses(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(file -> file.toString().endsWith(".java") && !file.endsWith("package-info.java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
