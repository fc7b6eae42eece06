package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.yaml.SafeYaml;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a role's {@code params:}: a list of {@code {name, type, required, default, description}}
 * mappings (in the spirit of Ansible's role {@code argument_specs}). {@code type} is one of
 * {@link Param#TYPES} (default {@code str}); a parameter is either {@code required: true} or has
 * a {@code default}, not both; a plain default must have the declared type.
 */
final class ParamsParser {
    private static final Set<String> KEYS = Set.of("name", "type", "required", "default", "description");

    private ParamsParser() {
    }

    static List<Param> params(Node v, PlanNodes nodes, Diagnostics diags) {
        if (!(v instanceof SequenceNode seq)) {
            diags.error(nodes.pos(v), "'params' must be a list of {name, type, required, default, description} mappings, got "
                    + SafeYaml.kind(v));
            return List.of();
        }
        List<Param> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode m)) {
                diags.error(nodes.pos(item), "a 'params' item must be a mapping with 'name' and 'type', got " + SafeYaml.kind(item));
                continue;
            }
            nodes.checkDuplicateKeys(m);
            String name = null;
            SourcePos namePos = nodes.pos(item);
            String type = "str";
            SourcePos typePos = null;
            boolean required = false;
            Object dflt = null;
            boolean hasDefault = false;
            SourcePos defaultPos = null;
            String description = null;
            for (NodeTuple t : m.getValue()) {
                String key = nodes.keyOf(t);
                Node val = t.getValueNode();
                if (key == null) {
                    continue;
                }
                switch (key) {
                    case "name" -> {
                        name = nodes.scalar(val, "name");
                        namePos = nodes.pos(val);
                    }
                    case "type" -> {
                        type = nodes.scalar(val, "type");
                        typePos = nodes.pos(val);
                    }
                    case "required" -> required = nodes.bool(val, "required");
                    case "default" -> {
                        dflt = SafeYaml.toJava(val);
                        hasDefault = true;
                        defaultPos = nodes.pos(val);
                    }
                    case "description" -> description = nodes.scalar(val, "description");
                    default -> nodes.unknownKey(t.getKeyNode(), key, KEYS, "params item");
                }
            }
            if (name == null) {
                diags.error(nodes.pos(item), "a 'params' item needs a 'name'");
                continue;
            }
            if (!PlanNodes.VAR_NAME.matcher(name).matches()) {
                diags.error(namePos, "invalid parameter name '" + name + "': letters, digits and '_' only, not starting with a digit");
                continue;
            }
            if (!seen.add(name)) {
                diags.error(namePos, "parameter '" + name + "' is declared twice");
                continue;
            }
            if (type == null || !Param.TYPES.contains(type)) {
                diags.error(typePos != null ? typePos : namePos, "parameter '" + name + "' has unknown type '" + type + "'",
                        "expected one of: " + String.join(", ", Param.TYPES));
                continue;
            }
            if (required && hasDefault) {
                diags.error(defaultPos, "parameter '" + name + "' is required and has a default: give one or the other");
            }
            Param p = new Param(name, type, required, dflt, hasDefault, description, namePos);
            if (hasDefault && dflt != null && !Templater.isTemplated(dflt)) {
                String kind = p.typeMismatch(dflt);
                if (kind != null) {
                    diags.error(defaultPos, "default of parameter '" + name + "' is " + kind + ", declared " + type);
                }
            }
            out.add(p);
        }
        return List.copyOf(out);
    }
}
