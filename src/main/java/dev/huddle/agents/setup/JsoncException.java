package dev.huddle.agents.setup;

/** A JSONC text that does not parse: what is wrong and where (1-based line and column). */
public final class JsoncException extends Exception {
    private final int line;
    private final int column;
    private final String problem;

    JsoncException(String text, int offset, String problem) {
        super(problem);
        int l = 1;
        int lineStart = 0;
        for (int k = 0; k < Math.min(offset, text.length()); k++) {
            if (text.charAt(k) == '\n') {
                l++;
                lineStart = k + 1;
            }
        }
        this.line = l;
        this.column = offset - lineStart + 1;
        this.problem = problem;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }

    @Override
    public String getMessage() {
        return "line " + line + ", column " + column + ": " + problem;
    }
}
