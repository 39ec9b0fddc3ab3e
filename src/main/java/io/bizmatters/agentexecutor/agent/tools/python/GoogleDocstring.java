package io.bizmatters.agentexecutor.agent.tools.python;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Google-style docstring: its first paragraph describes the tool, its {@code Args:} section
 * describes the parameters ({@code name (type): text} or {@code name: text}, continued on more
 * deeply indented lines).
 */
record GoogleDocstring(String summary, Map<String, String> argumentDescriptions) {
    private static final Set<String> ARGUMENT_SECTIONS = Set.of("Args", "Arguments", "Parameters", "Params");
    private static final Pattern SECTION = Pattern.compile("^([A-Z][A-Za-z ]*):\\s*$");
    private static final Pattern ARGUMENT = Pattern.compile("^\\*{0,2}(\\w+)\\s*(?:\\([^)]*\\))?\\s*:\\s*(.*)$");

    static final GoogleDocstring NONE = new GoogleDocstring(null, Map.of());

    static GoogleDocstring parse(String docstring) {
        if (docstring == null || docstring.isBlank()) {
            return NONE;
        }
        List<String> lines = docstring.strip().lines().toList();
        StringBuilder summary = new StringBuilder();
        int i = 0;
        while (i < lines.size() && !lines.get(i).isBlank() && !SECTION.matcher(lines.get(i).strip()).matches()) {
            appendWords(summary, lines.get(i));
            i++;
        }
        Map<String, String> arguments = new LinkedHashMap<>();
        for (; i < lines.size(); i++) {
            Matcher section = SECTION.matcher(lines.get(i).strip());
            if (section.matches() && ARGUMENT_SECTIONS.contains(section.group(1))) {
                i = readArguments(lines, i, arguments);
            }
        }
        return new GoogleDocstring(summary.isEmpty() ? null : summary.toString(), arguments);
    }

    /** @return the index of the section's last line */
    private static int readArguments(List<String> lines, int header, Map<String, String> arguments) {
        int headerIndent = indent(lines.get(header));
        int entryIndent = -1;
        String current = null;
        int i = header + 1;
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int indent = indent(line);
            if (indent <= headerIndent) {
                break;
            }
            if (entryIndent < 0) {
                entryIndent = indent;
            }
            Matcher argument = ARGUMENT.matcher(line.strip());
            if (indent == entryIndent && argument.matches()) {
                current = argument.group(1);
                arguments.put(current, argument.group(2).strip());
            } else if (current != null) {
                StringBuilder text = new StringBuilder(arguments.get(current));
                appendWords(text, line);
                arguments.put(current, text.toString());
            }
        }
        return i - 1;
    }

    private static void appendWords(StringBuilder text, String line) {
        if (!text.isEmpty()) {
            text.append(' ');
        }
        text.append(line.strip());
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && Character.isWhitespace(line.charAt(n))) {
            n++;
        }
        return n;
    }
}
