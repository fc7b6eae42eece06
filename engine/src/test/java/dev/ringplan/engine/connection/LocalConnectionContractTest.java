package dev.ringplan.engine.connection;

/** The {@link ConnectionContract} for {@link LocalConnection}: the controller itself. */
class LocalConnectionContractTest extends ConnectionContract {
    private static final LocalConnection CONN = new LocalConnection("ctl");

    @Override
    protected Connection connection() {
        return CONN;
    }

    @Override
    protected Connection freshConnection() {
        return new LocalConnection("ctl");
    }

    @Override
    protected String hostName() {
        return "ctl";
    }
}
