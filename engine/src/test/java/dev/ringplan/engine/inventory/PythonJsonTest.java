package dev.ringplan.engine.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts are what CPython 3.11's json.dumps(sort_keys=True, indent=4, ensure_ascii=False) prints. */
class PythonJsonTest {

    @Test
    void floatRepr_likePython() {
        assertEquals("1.5", PythonJson.floatRepr(1.5));
        assertEquals("1e-05", PythonJson.floatRepr(0.00001));
        assertEquals("0.0001", PythonJson.floatRepr(0.0001));
        assertEquals("1e+16", PythonJson.floatRepr(1e16));
        assertEquals("1000000000000000.0", PythonJson.floatRepr(1e15));
        assertEquals("0.1", PythonJson.floatRepr(0.1));
        assertEquals("-2.5e-07", PythonJson.floatRepr(-2.5e-7));
        assertEquals("1.7976931348623157e+308", PythonJson.floatRepr(Double.MAX_VALUE));
        assertEquals("-0.0", PythonJson.floatRepr(-0.0));
        assertEquals("NaN", PythonJson.floatRepr(Double.NaN));
    }

    @Test
    void dumps_layoutAndSorting() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of());
        m.put("a", Map.of());
        m.put("\uD83D\uDE00", "x\u001fy\u007f\"\\");
        m.put("\uFFFF", 1);
        assertEquals("{\n    \"a\": {},\n    \"b\": [],\n    \"\uFFFF\": 1,\n"
                + "    \"\uD83D\uDE00\": \"x\\u001fy\u007f\\\"\\\\\"\n}", PythonJson.dumps(m));
    }

    @Test
    void dumps_mixedKeyTypesFallBackToUnsorted() {
        Map<Object, Object> inner = new LinkedHashMap<>();
        inner.put("b", 1);
        inner.put(2, 2);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", inner);
        m.put("a", true);
        assertEquals("{\n    \"z\": {\n        \"b\": 1,\n        \"2\": 2\n    },\n    \"a\": true\n}",
                PythonJson.dumps(m));
    }
}
