package io.bizmatters.agentexecutor.agent.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deep agents' virtual file system ({@code ls}, {@code read_file}, {@code write_file},
 * {@code edit_file}), kept in the graph state under {@code files} in the Python service's layout
 * {@code {path: {"content": [lines], "created_at", "modified_at"}}}, which the stream's readers
 * already parse.
 */
public final class FileSystemTools {
    public static final String FILES = "files";
    private static final int DEFAULT_READ_LIMIT = 2000;

    private final Clock clock;

    public FileSystemTools(Clock clock) {
        this.clock = clock;
    }

    public List<BuiltinTool> tools() {
        return List.of(
                new BuiltinTool(ToolSpecification.builder().name("ls")
                        .description("Lists the paths of all files in the virtual file system, optionally under a path prefix.")
                        .parameters(JsonObjectSchema.builder()
                                .addStringProperty("path", "Only list files whose path starts with this prefix").build())
                        .build(), this::ls),
                new BuiltinTool(ToolSpecification.builder().name("read_file")
                        .description("Reads a file of the virtual file system and returns its lines numbered from 1.")
                        .parameters(JsonObjectSchema.builder()
                                .addStringProperty("file_path", "Path of the file to read")
                                .addIntegerProperty("offset", "Line to start from (0-based), default 0")
                                .addIntegerProperty("limit", "Maximum number of lines, default 2000")
                                .required("file_path").build())
                        .build(), this::read),
                new BuiltinTool(ToolSpecification.builder().name("write_file")
                        .description("Creates a new file in the virtual file system. Fails if the file exists: edit it instead.")
                        .parameters(JsonObjectSchema.builder()
                                .addStringProperty("file_path", "Path of the new file")
                                .addStringProperty("content", "The whole content of the file")
                                .required("file_path", "content").build())
                        .build(), this::write),
                new BuiltinTool(ToolSpecification.builder().name("edit_file")
                        .description("Replaces old_string by new_string in a file. old_string must occur exactly once unless replace_all is true.")
                        .parameters(JsonObjectSchema.builder()
                                .addStringProperty("file_path", "Path of the file to edit")
                                .addStringProperty("old_string", "Exact text to replace")
                                .addStringProperty("new_string", "Replacement text")
                                .addBooleanProperty("replace_all", "Replace every occurrence, default false")
                                .required("file_path", "old_string", "new_string").build())
                        .build(), this::edit));
    }

    private BuiltinTool.Result ls(Map<String, Object> state, ToolArguments arguments) {
        String prefix = arguments.optionalText("path", "");
        List<String> paths = new TreeSet<>(files(state).keySet()).stream().filter(p -> p.startsWith(prefix)).toList();
        return BuiltinTool.Result.text(paths.isEmpty() ? "No files found" : String.join("\n", paths));
    }

    private BuiltinTool.Result read(Map<String, Object> state, ToolArguments arguments) {
        String path = arguments.text("file_path");
        Map<String, Object> file = files(state).get(path);
        if (file == null) {
            return BuiltinTool.Result.text("Error: File '" + path + "' not found");
        }
        List<?> lines = (List<?>) file.get("content");
        if (lines.isEmpty()) {
            return BuiltinTool.Result.text("File '" + path + "' exists but is empty");
        }
        int offset = Math.max(0, arguments.optionalInt("offset", 0));
        int end = Math.min(lines.size(), offset + Math.max(1, arguments.optionalInt("limit", DEFAULT_READ_LIMIT)));
        if (offset >= lines.size()) {
            return BuiltinTool.Result.text("Error: offset " + offset + " is past the end of '" + path
                    + "' (" + lines.size() + " lines)");
        }
        StringBuilder numbered = new StringBuilder();
        for (int i = offset; i < end; i++) {
            numbered.append(String.format("%6d\t%s%n", i + 1, lines.get(i)));
        }
        return BuiltinTool.Result.text(numbered.toString().stripTrailing());
    }

    private BuiltinTool.Result write(Map<String, Object> state, ToolArguments arguments) {
        String path = arguments.text("file_path");
        String content = arguments.text("content");
        Map<String, Map<String, Object>> files = files(state);
        if (files.containsKey(path)) {
            return BuiltinTool.Result.text("Error: '" + path + "' already exists. Read it and edit it, or write a new path.");
        }
        String now = clock.instant().toString();
        return store(files, path, content, now, now, "Created file " + path);
    }

    private BuiltinTool.Result edit(Map<String, Object> state, ToolArguments arguments) {
        String path = arguments.text("file_path");
        String oldText = arguments.text("old_string");
        String newText = arguments.text("new_string");
        boolean replaceAll = arguments.optionalBoolean("replace_all", false);
        Map<String, Map<String, Object>> files = files(state);
        Map<String, Object> file = files.get(path);
        if (file == null) {
            return BuiltinTool.Result.text("Error: File '" + path + "' not found");
        }
        String content = String.join("\n", ((List<?>) file.get("content")).stream().map(String::valueOf).toList());
        int occurrences = oldText.isEmpty() ? 0 : content.split(Pattern.quote(oldText), -1).length - 1;
        if (occurrences == 0) {
            return BuiltinTool.Result.text("Error: old_string was not found in '" + path + "'");
        }
        if (occurrences > 1 && !replaceAll) {
            return BuiltinTool.Result.text("Error: old_string occurs " + occurrences + " times in '" + path
                    + "'. Give more context to make it unique, or set replace_all.");
        }
        String edited = replaceAll ? content.replace(oldText, newText) : content.replaceFirst(
                Pattern.quote(oldText), Matcher.quoteReplacement(newText));
        return store(files, path, edited, String.valueOf(file.get("created_at")), clock.instant().toString(),
                "Replaced " + (replaceAll ? occurrences : 1) + " occurrence(s) in " + path);
    }

    private static BuiltinTool.Result store(Map<String, Map<String, Object>> files, String path, String content,
                                            String createdAt, String modifiedAt, String message) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("content", new ArrayList<>(Arrays.asList(content.split("\n", -1))));
        file.put("created_at", createdAt);
        file.put("modified_at", modifiedAt);
        Map<String, Object> updated = new LinkedHashMap<>(files);
        updated.put(path, file);
        return new BuiltinTool.Result(message, Map.of(FILES, updated));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> files(Map<String, Object> state) {
        Object files = state.get(FILES);
        return files instanceof Map<?, ?> map ? (Map<String, Map<String, Object>>) map : Map.of();
    }
}
