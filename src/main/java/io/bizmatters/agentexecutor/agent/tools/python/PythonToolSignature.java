package io.bizmatters.agentexecutor.agent.tools.python;

import io.bizmatters.agentexecutor.failure.BadInput;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the model needs to know about a Python {@code @tool} function, read from its source text
 * and never by running it: the first docstring paragraph as description, and a JSON schema of
 * its parameters built from type hints, defaults and the docstring's {@code Args:} section.
 *
 * @param parameters a JSON object schema ({@code type}, {@code properties}, {@code required})
 */
public record PythonToolSignature(String functionName, String description, Map<String, Object> parameters) {
    private static final Pattern TOOL_DECORATOR = Pattern.compile("^@(?:[\\w.]*\\.)?tool\\b(.*)$");
    private static final Pattern DEF = Pattern.compile("^(?:async\\s+)?def\\s+(\\w+)\\s*\\(");
    /** LangChain fills these in itself; the model never sees them. */
    private static final Pattern INJECTED = Pattern.compile(
            "\\b(ToolRuntime|InjectedToolCallId|InjectedState|InjectedStore|InjectedToolArg|RunnableConfig"
                    + "|(Async)?CallbackManagerForToolRun)\\b");
    private static final Set<String> RECEIVERS = Set.of("self", "cls");

    /**
     * @param toolName the name the definition gives the tool; picks the function when a script has several
     * @return empty when the script holds no function to read (for example a placeholder text)
     */
    public static Optional<PythonToolSignature> read(String script, String toolName) {
        if (script == null) {
            return Optional.empty();
        }
        String source = PythonSource.withoutComments(script);
        List<FunctionHeader> functions = functions(source);
        try {
            return functions.stream().filter(f -> f.decorated && f.exposedName.equals(toolName)).findFirst()
                    .or(() -> functions.stream().filter(f -> f.name.equals(toolName)).findFirst())
                    .or(() -> functions.stream().filter(f -> f.decorated).findFirst())
                    .map(f -> f.signature(source));
        } catch (TooDeepHint e) {
            throw new BadInput("agent_definition.tool_definitions[name=" + BadInput.quote(toolName) + "].runtime.script",
                    "the script of tool " + BadInput.quote(toolName) + ": " + e.getMessage());
        }
    }

    /** Carries the parameter's reason up to {@link #read}, which knows the tool and so the field's path. */
    private static final class TooDeepHint extends RuntimeException {
        TooDeepHint(String message) {
            super(message, null, false, false);
        }
    }

    private record FunctionHeader(String name, String exposedName, boolean decorated, int parametersStart) {
        PythonToolSignature signature(String source) {
            int parametersEnd = PythonSource.indexOfTopLevel(source, parametersStart, ')');
            if (parametersEnd < 0) {
                return new PythonToolSignature(name, null, objectSchema(new LinkedHashMap<>(), List.of()));
            }
            GoogleDocstring docstring = GoogleDocstring.parse(docstringAfter(source, parametersEnd));
            Map<String, Object> properties = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            for (String parameter : PythonSource.splitTopLevel(source.substring(parametersStart, parametersEnd), ',')) {
                readParameter(parameter, docstring, properties, required);
            }
            return new PythonToolSignature(name, docstring.summary(), objectSchema(properties, required));
        }
    }

    private static List<FunctionHeader> functions(String source) {
        List<FunctionHeader> functions = new ArrayList<>();
        String pendingToolName = null;
        for (int lineStart = 0; lineStart < source.length(); lineStart = PythonSource.lineEnd(source, lineStart) + 1) {
            String line = source.substring(lineStart, PythonSource.lineEnd(source, lineStart));
            if (line.isEmpty() || Character.isWhitespace(line.charAt(0))) {
                continue; // tools are module-level functions; bodies and blank lines do not matter here
            }
            String code = line.strip();
            Matcher decorator = TOOL_DECORATOR.matcher(code);
            Matcher def = DEF.matcher(code);
            if (decorator.matches()) {
                pendingToolName = explicitToolName(decorator.group(1));
            } else if (def.find()) {
                String name = def.group(1);
                boolean decorated = pendingToolName != null;
                String exposed = decorated && !pendingToolName.isEmpty() ? pendingToolName : name;
                functions.add(new FunctionHeader(name, exposed, decorated, lineStart + def.end()));
                pendingToolName = null;
            } else if (!code.startsWith("@")) {
                pendingToolName = null;
            }
        }
        return functions;
    }

    /** {@code @tool("name", ...)} renames the tool; {@code @tool} and {@code @tool(parse_docstring=True)} do not. */
    private static String explicitToolName(String decoratorArguments) {
        String args = decoratorArguments.strip();
        if (!args.startsWith("(")) {
            return "";
        }
        String first = PythonSource.splitTopLevel(args.substring(1, Math.max(1, args.lastIndexOf(')'))), ',').getFirst();
        String name = PythonSource.stringLiteral(first);
        return name == null ? "" : name;
    }

    private static String docstringAfter(String source, int parametersEnd) {
        int colon = PythonSource.indexOfTopLevel(source, parametersEnd + 1, ':');
        if (colon < 0) {
            return null;
        }
        String body = source.substring(colon + 1).stripLeading();
        if (body.isEmpty() || "\"'rRuU".indexOf(body.charAt(0)) < 0) {
            return null;
        }
        int prefix = Character.isLetter(body.charAt(0)) ? 1 : 0;
        if (prefix == body.length() || (body.charAt(prefix) != '"' && body.charAt(prefix) != '\'')) {
            return null;
        }
        return PythonSource.stringLiteral(body.substring(0, PythonSource.endOfString(body, prefix)));
    }

    private static void readParameter(String parameter, GoogleDocstring docstring,
                                      Map<String, Object> properties, List<String> required) {
        if (parameter.isEmpty() || parameter.startsWith("*") || parameter.equals("/")) {
            return;
        }
        int equals = PythonSource.indexOfTopLevel(parameter, 0, '=');
        String declaration = equals < 0 ? parameter : parameter.substring(0, equals).strip();
        String defaultValue = equals < 0 ? null : parameter.substring(equals + 1).strip();
        int colon = declaration.indexOf(':');
        String name = (colon < 0 ? declaration : declaration.substring(0, colon)).strip();
        String annotation = colon < 0 ? null : declaration.substring(colon + 1).strip();
        if (RECEIVERS.contains(name) || (annotation != null && INJECTED.matcher(annotation).find())) {
            return;
        }
        Map<String, Object> schema;
        try {
            schema = PythonTypeSchema.of(annotation);
        } catch (PythonTypeSchema.TooDeep e) {
            throw new TooDeepHint("the type hint of parameter " + BadInput.quote(name) + " " + e.getMessage());
        }
        String documented = docstring.argumentDescriptions().getOrDefault(name, (String) schema.get("description"));
        String description = describe(documented, defaultValue);
        if (description != null) {
            schema.put("description", description);
        }
        properties.put(name, schema);
        if (defaultValue == null) {
            required.add(name);
        }
    }

    /** The default goes into the description: a {@code default} keyword would not survive langchain4j's typed schema. */
    private static String describe(String documented, String defaultValue) {
        if (defaultValue == null || defaultValue.equals("None")) {
            return documented;
        }
        String note = "Default: " + defaultValue + ".";
        return documented == null || documented.isBlank() ? note : documented + " " + note;
    }

    private static Map<String, Object> objectSchema(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return schema;
    }
}
