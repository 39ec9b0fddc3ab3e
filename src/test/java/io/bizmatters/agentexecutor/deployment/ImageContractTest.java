package io.bizmatters.agentexecutor.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bizmatters.agentexecutor.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's contract with the Deployment and the scripts: the jar where APP_JAR says, the
 * scripts where the init container calls them, and the init container really running
 * {@code java -jar $APP_JAR migrate}. The scripts run for real against a copy of the image's
 * layout, with a stand-in {@code java} that prints its arguments.
 */
class ImageContractTest {

    private final String dockerfile = Repository.read("Dockerfile");
    private final ObjectNode deployment = RenderedClaim.renderClaim().get("deployment");
    private final JsonNode initContainer = deployment.at("/spec/template/spec/initContainers/0");

    @Test
    void theImageRunsItsJarAsANonRootUserWritingOnlyToTmp() {
        String appJar = match(dockerfile, "APP_JAR=(\\S+)");
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"" + appJar + "\"]");
        assertThat(dockerfile).contains("COPY --from=build /build/agent-executor.jar " + appJar);
        String user = match(dockerfile, "(?m)^USER (\\d+):\\d+$");
        assertThat(deployment.at("/spec/template/spec/securityContext/runAsUser").asText()).isEqualTo(user);
        assertThat(Integer.parseInt(user)).isPositive();
        assertThat(dockerfile).contains("-Djava.io.tmpdir=/tmp");
    }

    @Test
    void theInitContainerRunsTheImagesJarWithTheMigrateCommand(@TempDir Path image) throws Exception {
        Path jar = lay(image, match(dockerfile, "APP_JAR=(\\S+)"));
        Files.createDirectories(jar.getParent());
        Files.createFile(jar);
        copyScriptsAsTheDockerfileDoes(image);
        List<String> command = new ArrayList<>();
        initContainer.path("command").forEach(part -> command.add(part.asText()));
        command.set(0, lay(image, command.getFirst()).toString());

        Result result = run(command, Map.of("APP_JAR", jar.toString(), "JAVA_HOME", fakeJava(image).toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().strip()).isEqualTo("-jar " + jar + " " + Main.MIGRATE_COMMAND);
    }

    @Test
    void withoutAJarTheScriptsSayWhichVariableToSet(@TempDir Path image) throws Exception {
        copyScriptsAsTheDockerfileDoes(image);
        Path script = lay(image, initContainer.at("/command/0").asText());
        Result result = run(List.of(script.toString()),
                Map.of("APP_JAR", image.resolve("missing.jar").toString(), "JAVA_HOME", fakeJava(image).toString()));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("APP_JAR");
    }

    @Test
    void theBuildTagsTheImageWithTheGitCommit() {
        String build = Repository.read("scripts/ci/build.sh");
        assertThat(build).contains("sha=\"$(git rev-parse HEAD)\"").contains("docker build -t \"agent-executor:$sha\" .");
        assertThat(Repository.read("docs/deployment.md"))
                .contains("SHA=$(git rev-parse HEAD)").contains("agent-executor:$SHA");
    }

    /** Copies every file the runtime stage COPYs from the repository (not --from=build) to its place under {@code image}. */
    private void copyScriptsAsTheDockerfileDoes(Path image) throws IOException {
        String runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        Matcher copy = Pattern.compile("(?m)^COPY (?:--chmod=\\S+ )?([^-\\n][^\\n]*)$").matcher(runtimeStage);
        int copied = 0;
        while (copy.find()) {
            List<String> parts = Arrays.asList(copy.group(1).trim().split("\\s+"));
            String destination = parts.getLast();
            for (String source : parts.subList(0, parts.size() - 1)) {
                Path target = destination.endsWith("/")
                        ? lay(image, destination).resolve(Path.of(source).getFileName())
                        : lay(image, destination);
                Files.createDirectories(target.getParent());
                Files.copy(Repository.file(source), target);
                target.toFile().setExecutable(true);
                copied++;
            }
        }
        assertThat(copied).as("scripts the Dockerfile copies into the image").isPositive();
    }

    private static Path fakeJava(Path image) throws IOException {
        Path bin = Files.createDirectories(image.resolve("fake-jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin.getParent();
    }

    private static Path lay(Path image, String absolutePath) {
        return image.resolve(absolutePath.replaceFirst("^/", ""));
    }

    private static Result run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    private record Result(int exitCode, String output) {
    }

    private static String match(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("/" + regex + "/ in the Dockerfile").isTrue();
        return matcher.group(1);
    }
}
