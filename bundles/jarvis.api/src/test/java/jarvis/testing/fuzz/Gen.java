package jarvis.testing.fuzz;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import jarvis.api.Endpoint;

/** Random values of the shapes Jarvis formats carry, for round-trip properties. */
public final class Gen {

    private static final String[] HOSTS = {"example.org", "203.0.113.7", "::1", "2001:db8::1", "a", "peer-1.local",
        "198.51.100.250", "fe80::1:2:3:4"};

    private Gen() {
    }

    public static byte[] bytes(Random r, int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        return b;
    }

    /** 32 lowercase hex characters. */
    public static String uid(Random r) {
        return HexFormat.of().formatHex(bytes(r, 16));
    }

    /**
     * Text of 1..maxChars characters from several scripts, with supplementary characters (surrogate pairs) and,
     * if {@code controls}, control characters; never an unpaired surrogate.
     */
    public static String text(Random r, int maxChars, boolean controls) {
        int n = 1 + r.nextInt(maxChars);
        StringBuilder b = new StringBuilder();
        while (b.length() < n) {
            int kind = r.nextInt(controls ? 7 : 6);
            int cp = switch (kind) {
                case 0 -> r.nextInt(5) == 0 ? ' ' : 'a' + r.nextInt(26);
                case 1 -> 'A' + r.nextInt(26);
                case 2 -> 0xa1 + r.nextInt(0x5e); // Latin-1 letters and signs
                case 3 -> 0x0410 + r.nextInt(0x40); // Cyrillic
                case 4 -> 0x4e00 + r.nextInt(0x5000); // CJK
                case 5 -> 0x1f300 + r.nextInt(0x300); // emoji: surrogate pairs in UTF-16, 4 bytes in UTF-8
                default -> r.nextBoolean() ? r.nextInt(0x20) : 0x7f + r.nextInt(0x21);
            };
            if (Character.charCount(cp) == 2 && b.length() + 2 > n) {
                cp = 'z';
            }
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    /** A valid endpoint: tcp, a DNS name or an IPv4 or IPv6 literal, port 1..65535. */
    public static Endpoint endpoint(Random r) {
        String host = r.nextInt(4) == 0 ? randomDnsName(r) : HOSTS[r.nextInt(HOSTS.length)];
        return Endpoint.tcp(host, 1 + r.nextInt(65535));
    }

    public static List<Endpoint> endpoints(Random r, int max) {
        List<Endpoint> list = new ArrayList<>();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            list.add(endpoint(r));
        }
        return list;
    }

    /** Labels of letters and digits (a hyphen inside some), the last one starting with a letter, as URIs want. */
    private static String randomDnsName(Random r) {
        String letters = "abcdefghijklmnopqrstuvwxyz";
        String alnum = letters + "0123456789";
        StringBuilder b = new StringBuilder();
        int labels = 1 + r.nextInt(4);
        for (int l = 0; l < labels; l++) {
            if (l > 0) {
                b.append('.');
            }
            int n = 1 + r.nextInt(r.nextInt(10) == 0 ? 60 : 12);
            for (int i = 0; i < n; i++) {
                String from = i == 0 && l == labels - 1 ? letters : alnum;
                b.append(from.charAt(r.nextInt(from.length())));
                if (i > 0 && i < n - 1 && r.nextInt(8) == 0) {
                    b.append('-');
                }
            }
        }
        return b.toString();
    }
}
