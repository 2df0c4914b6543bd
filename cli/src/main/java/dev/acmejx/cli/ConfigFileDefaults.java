package dev.acmejx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.acmejx.core.AcmejxException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --config FILE}: a YAML map whose keys are the long option names without dashes ({@code listen},
 * {@code proxy-protocol}, …). Its values become the options' defaults, so a flag on the command line always
 * overrides the file; lists become repeated values. Unknown keys are errors, not silently ignored typos.
 */
final class ConfigFileDefaults implements IDefaultValueProvider {

    private final Path file;
    private final Map<String, String> values;

    private ConfigFileDefaults(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /** The {@code --config} value among raw arguments, if any. */
    static Optional<Path> find(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return Optional.of(Path.of(args[i].substring("--config=".length())));
            }
        }
        return Optional.empty();
    }

    static ConfigFileDefaults load(Path file, CommandSpec command) throws AcmejxException {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new AcmejxException("cannot read --config " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new AcmejxException("--config " + file + " must be a YAML map of option names to values");
        }
        Map<String, String> values = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            OptionSpec option = command.findOption("--" + entry.getKey());
            if (option == null || entry.getKey().equals("config")) {
                throw new AcmejxException("--config " + file + ": unknown setting '" + entry.getKey()
                        + "'; known: " + known(command));
            }
            values.put(option.longestName(), text(entry.getValue(), option));
        }
        return new ConfigFileDefaults(file, values);
    }

    /**
     * Picocli checks the file's values with the options' converters, as it checks the command line's, and its usage
     * error names the option alone: this adds the file, when the bad value is one of the file's.
     */
    ParameterException attributed(ParameterException e) {
        String given = values.get(e.getArgSpec() instanceof OptionSpec option ? option.longestName() : null);
        if (given == null || e.getValue() == null || !given.contains(e.getValue())) {
            return e;
        }
        return new ParameterException(e.getCommandLine(), e.getMessage() + " (in --config " + file + ")", e,
                e.getArgSpec(), e.getValue());
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        return argSpec instanceof OptionSpec option ? values.get(option.longestName()) : null;
    }

    private static String text(JsonNode value, OptionSpec option) throws AcmejxException {
        if (value.isNull() || value.isObject()) {
            throw new AcmejxException("--config: '" + option.longestName().substring(2) + "' needs a value or a "
                    + "list of values, not " + (value.isNull() ? "nothing" : "a map"));
        }
        if (!value.isArray()) {
            return value.asText();
        }
        List<String> parts = new ArrayList<>();
        value.forEach(part -> parts.add(part.asText()));
        // The list options split on a plain character (',' or ';'), so it joins the parts back as well.
        return String.join(option.splitRegex(), parts);
    }

    private static String known(CommandSpec command) {
        TreeSet<String> names = new TreeSet<>();
        command.options().forEach(o -> names.add(o.longestName().replaceFirst("^--", "")));
        names.remove("config");
        return String.join(", ", names);
    }
}
