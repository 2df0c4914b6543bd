package dev.acmejx.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** {@code 19:40:01.123 a.test: validated}; warnings and errors say so. One record, one line. */
final class HumanLogFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(TIME.format(record.getInstant())).append(' ');
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            line.append(record.getLevel() == Level.WARNING ? "warning: " : "error: ");
        }
        line.append(formatMessage(record).replace('\n', ' '));
        if (record.getThrown() != null) {
            line.append(" (").append(record.getThrown()).append(')');
        }
        return line.append(System.lineSeparator()).toString();
    }
}
