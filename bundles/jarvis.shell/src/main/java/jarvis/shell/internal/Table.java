package jarvis.shell.internal;

import java.util.List;

/** A plain text table for the console: columns padded to their widest cell, two spaces apart. */
final class Table {

    private Table() {
    }

    static String render(List<String> header, List<String[]> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header.toArray(new String[0]), width);
        for (String[] row : rows) {
            line(out, row, width);
        }
        return out.toString().stripTrailing();
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                line.append(" ".repeat(width[i] - cells[i].length() + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
