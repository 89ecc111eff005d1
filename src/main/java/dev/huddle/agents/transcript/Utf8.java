package dev.huddle.agents.transcript;

/** UTF-8 lengths without encoding (budgets are in bytes, text is in Java strings). */
final class Utf8 {
    private Utf8() {}

    static int length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** The longest suffix of {@code s} that fits in {@code maxBytes} of UTF-8 (never splits a surrogate pair). */
    static String tail(String s, int maxBytes) {
        int n = 0;
        int i = s.length();
        while (i > 0) {
            int j = i - 1;
            if (Character.isLowSurrogate(s.charAt(j)) && j > 0 && Character.isHighSurrogate(s.charAt(j - 1))) j--;
            int add = length(s.subSequence(j, i));
            if (n + add > maxBytes) break;
            n += add;
            i = j;
        }
        return s.substring(i);
    }
}
