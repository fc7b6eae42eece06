package dev.ringplan.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;

/**
 * A Jinjava interpreter that prints values inside strings the way Python (and so Ansible) does:
 * {@code True}, {@code None}, {@code ['a']} ({@link Python#str}).
 */
final class AnsibleInterpreter extends JinjavaInterpreter {
    AnsibleInterpreter(Jinjava jinjava, Context context, JinjavaConfig config) {
        super(jinjava, context, config);
    }

    @Override
    public String getAsString(Object value) {
        return Python.str(value);
    }
}
