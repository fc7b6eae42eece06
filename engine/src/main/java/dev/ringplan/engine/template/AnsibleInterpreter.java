package dev.ringplan.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.UnknownTokenException;

/**
 * A Jinjava interpreter that prints values inside strings the way Python (and so Ansible) does:
 * {@code True}, {@code None}, {@code ['a']} ({@link Python#str}), and lets an expression yield
 * null where Jinja2 would yield {@code None} ({@link NullValues}): a variable set to null, the
 * {@code none} literal. Jinjava, set to fail on unknown tokens, would report those as undefined.
 */
final class AnsibleInterpreter extends JinjavaInterpreter {
    AnsibleInterpreter(Jinjava jinjava, Context context, JinjavaConfig config) {
        super(jinjava, context, config);
    }

    /** Every expression of a template ({@code {{ }}}, {@code if}, {@code for}) is resolved here. */
    @Override
    public Object resolveELExpression(String expression, int lineNumber) {
        try {
            return super.resolveELExpression(expression, lineNumber);
        } catch (UnknownTokenException e) {
            if (NullValues.isLegitimate(expression, this)) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public String getAsString(Object value) {
        return Python.str(value);
    }
}
