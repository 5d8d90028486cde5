package dev.runbook.importer.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a vendor command line changes the system. Read-only only when every command of
 * the line is on a small allow-list and used in a way that only reads (no output redirection, no
 * command substitution, no option that writes); anything else changes the system. A few tools that
 * wait for a person are made non-interactive ({@code ping} gets {@code -c 4}, {@code top} runs in
 * batch mode once, {@code ll} is {@code ls -l}); the others ({@code vi}, {@code less}, {@code tail
 * -f}, a database shell …) stay manual.
 *
 * <p>The allow-list, and why each is read-only: see {@code docs/import.md}.
 */
final class CommandSafety {

  /** What a command line is. */
  enum Verdict {
    READ_ONLY,
    CHANGES,
    INTERACTIVE
  }

  /**
   * @param command the line to run (a tool made non-interactive is rewritten)
   * @param reason why, in words, for interactive lines
   */
  record Judged(String command, Verdict verdict, String reason) {}

  /** Tools that only read, whatever their arguments (options that write are checked below). */
  private static final Set<String> READERS =
      Set.of(
          "df",
          "du",
          "ls",
          "cat",
          "head",
          "tail",
          "grep",
          "egrep",
          "fgrep",
          "zgrep",
          "wc",
          "cut",
          "tr",
          "uniq",
          "sort",
          "awk",
          "sed",
          "echo",
          "printf",
          "ps",
          "pgrep",
          "lsof",
          "netstat",
          "ss",
          "ping",
          "id",
          "whoami",
          "hostname",
          "uname",
          "date",
          "uptime",
          "free",
          "vmstat",
          "iostat",
          "mpstat",
          "find",
          "stat",
          "file",
          "readlink",
          "realpath",
          "which",
          "type",
          "env",
          "printenv",
          "ifconfig",
          "ip",
          "ethtool",
          "chage",
          "crontab",
          "systemctl",
          "service",
          "sysctl",
          "mount",
          "lsblk",
          "blkid",
          "fdisk",
          "openssl",
          "test",
          "[",
          "true",
          "cd",
          "pwd",
          "getent",
          "klist",
          "jps",
          "rpm",
          "dmesg",
          "last",
          "w",
          "who",
          "nslookup",
          "dig",
          "host",
          "timedatectl",
          "ntpq",
          "chronyc",
          "nproc",
          "lscpu",
          "getconf",
          "basename",
          "dirname",
          "top",
          "ll",
          "md5sum",
          "sha256sum",
          "diff",
          "cmp",
          "xargs");

  private static final Set<String> INTERACTIVE =
      Set.of(
          "vi",
          "vim",
          "view",
          "nano",
          "emacs",
          "less",
          "more",
          "htop",
          "watch",
          "passwd",
          "ssh",
          "telnet",
          "ftp",
          "sftp",
          "mysql",
          "beeline",
          "kadmin",
          "visudo",
          "zkCli.sh",
          "hbase",
          "spark-shell",
          "spark-sql",
          "hive",
          "impala-shell",
          "python",
          "python3",
          "su");

  private CommandSafety() {}

  static Judged judge(String line) {
    String command = rewrite(line);
    List<List<String>> segments = new ArrayList<>();
    boolean writes = split(command, segments);
    Verdict verdict = writes ? Verdict.CHANGES : Verdict.READ_ONLY;
    for (List<String> words : segments) {
      List<String> cmd = words;
      while (!cmd.isEmpty()
          && (cmd.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*") || cmd.get(0).equals("sudo"))) {
        cmd = cmd.subList(1, cmd.size());
      }
      if (cmd.isEmpty()) {
        continue;
      }
      String name = cmd.get(0).substring(cmd.get(0).lastIndexOf('/') + 1);
      String why = interactive(name, cmd);
      if (why != null) {
        return new Judged(command, Verdict.INTERACTIVE, why);
      }
      if (!readsOnly(name, cmd)) {
        verdict = Verdict.CHANGES;
      }
    }
    return new Judged(command, verdict, null);
  }

  /** Tools that wait for a person, made to run once and end. */
  private static String rewrite(String line) {
    String out = line.strip();
    out = out.replaceAll("(^|[;|&]\\s*)ll(\\s|$)", "$1ls -l$2");
    if (out.matches("(?s)(sudo\\s+)?ping\\s+.*") && !out.matches("(?s).*\\s-c\\s*\\d+.*")) {
      out = out.replaceFirst("ping\\s+", "ping -c 4 ");
    }
    if (out.matches("(sudo\\s+)?top")) {
      out = out + " -b -n 1";
    }
    return out;
  }

  private static String interactive(String name, List<String> words) {
    if (INTERACTIVE.contains(name)) {
      return "'" + name + "' waits for a person";
    }
    if ((name.equals("tail") || name.equals("journalctl"))
        && (words.contains("-f") || words.contains("-F") || words.contains("--follow"))) {
      return "'" + name + " -f' never ends";
    }
    if (name.equals("top") && !words.contains("-b")) {
      return "'top' is a screen";
    }
    if (name.equals("crontab") && words.contains("-e")) {
      return "'crontab -e' opens an editor";
    }
    if (name.equals("clickhouse") && !String.join(" ", words).matches(".*(--query|-q)\\b.*")) {
      return "'clickhouse client' is a database shell";
    }
    if (name.equals("kinit") && !words.contains("-kt") && !words.contains("-k")) {
      return "'kinit' asks for a password";
    }
    if ((name.equals("psql") || name.equals("gsql")) && !words.contains("-c")) {
      return "'" + name + "' is a database shell";
    }
    return null;
  }

  private static boolean readsOnly(String name, List<String> w) {
    if (!READERS.contains(name)) {
      return false;
    }
    List<String> args = w.subList(1, w.size());
    String all = String.join(" ", args);
    return switch (name) {
      case "sed" ->
          !args.stream().anyMatch(a -> a.startsWith("-i") || a.startsWith("--in-place"))
              && !all.matches(".*(^|[;'\"\\s/])[wWe]\\s.*");
      case "sort" -> !args.stream().anyMatch(a -> a.startsWith("-o") || a.startsWith("--output"));
      case "uniq" -> args.stream().filter(a -> !a.startsWith("-")).count() <= 1;
      case "awk" ->
          !all.contains("system(")
              && !all.matches(".*\\|\\s*getline.*")
              && !all.matches(".*print[f]?[^;}]*>.*");
      case "find" ->
          args.stream()
              .noneMatch(
                  a ->
                      a.startsWith("-exec")
                          || a.startsWith("-ok")
                          || a.startsWith("-delete")
                          || a.startsWith("-fprint")
                          || a.startsWith("-fls"));
      case "date" -> args.stream().noneMatch(a -> a.equals("-s") || a.startsWith("--set"));
      case "hostname" -> args.stream().allMatch(a -> a.startsWith("-"));
      case "ifconfig" -> args.stream().filter(a -> !a.startsWith("-")).count() <= 1;
      case "ip" ->
          all.matches(
                  "(-\\S+\\s+)*(a|addr|address|l|link|r|route|n|neigh)(\\s+(show|list|ls))?(\\s+\\S+)*")
              && !all.matches(".*\\b(add|del|delete|set|flush|change|replace)\\b.*");
      case "ethtool" ->
          args.size() <= 1 || args.get(0).matches("-[iSkgacPmT]|--(driver|statistics|show-\\S+)");
      case "chage" -> args.contains("-l");
      case "crontab" -> args.contains("-l");
      case "systemctl" ->
          !args.isEmpty()
              && Set.of(
                      "status",
                      "is-active",
                      "is-enabled",
                      "is-failed",
                      "list-units",
                      "list-timers",
                      "show",
                      "cat")
                  .contains(args.get(0));
      case "service" -> args.size() == 2 && args.get(1).equals("status");
      case "sysctl" ->
          args.stream()
              .noneMatch(
                  a ->
                      a.equals("-w")
                          || a.equals("-p")
                          || a.startsWith("--load")
                          || a.startsWith("--write")
                          || a.equals("--system")
                          || a.contains("="));
      case "mount" ->
          args.isEmpty() || args.stream().allMatch(a -> a.equals("-l") || a.startsWith("-t"));
      case "fdisk" -> args.contains("-l");
      case "openssl" -> openssl(args);
      case "rpm" -> !args.isEmpty() && args.get(0).startsWith("-q");
      case "dmesg" ->
          args.stream()
              .noneMatch(
                  a ->
                      a.equals("-c")
                          || a.equals("-C")
                          || a.startsWith("--clear")
                          || a.startsWith("--read-clear"));
      case "timedatectl" ->
          args.isEmpty() || args.get(0).equals("status") || args.get(0).equals("show");
      case "chronyc" ->
          !args.isEmpty()
              && Set.of("sources", "sourcestats", "tracking", "activity").contains(args.get(0));
      case "xargs" -> false; // runs another command: not shown to be read-only
      default -> true;
    };
  }

  private static boolean openssl(List<String> args) {
    if (args.isEmpty()) {
      return false;
    }
    String sub = args.get(0);
    boolean noOutputFile = !args.contains("-out");
    return switch (sub) {
      case "x509", "crl", "req" -> args.contains("-noout") && noOutputFile;
      case "verify", "version" -> true;
      case "s_client" -> false; // waits for input
      default -> false;
    };
  }

  /**
   * Splits a command line into the words of each command, at unquoted {@code |}, {@code ;}, {@code
   * &&}, {@code ||} and {@code &}. Returns true when the line writes somewhere or runs a command it
   * does not show: an output redirection other than to {@code /dev/null} or another descriptor, or
   * a command substitution.
   */
  static boolean split(String line, List<List<String>> segments) {
    boolean writes = false;
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else {
          if (quote == '"'
              && (c == '`' || c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(')) {
            writes = true;
          }
          word.append(c);
        }
        i++;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
        i++;
        continue;
      }
      if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
        continue;
      }
      if (c == '`' || c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(') {
        writes = true;
      }
      if (c == '>') {
        String target = redirectTarget(line, i);
        boolean harmless = target.equals("/dev/null") || target.startsWith("&");
        if (!harmless) {
          writes = true;
        }
      }
      if (c == '|'
          || c == ';'
          || c == '&'
              && !(i > 0 && line.charAt(i - 1) == '>')
              && !(i + 1 < line.length() && line.charAt(i + 1) == '>')) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        if (!words.isEmpty()) {
          segments.add(words);
          words = new ArrayList<>();
        }
        i++;
        continue;
      }
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
        continue;
      }
      word.append(c);
      inWord = true;
      i++;
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (!words.isEmpty()) {
      segments.add(words);
    }
    if (quote != 0) {
      writes = true; // an unclosed quote: the line is not what it seems
    }
    return writes;
  }

  private static String redirectTarget(String line, int at) {
    int i = at + 1;
    if (i < line.length() && line.charAt(i) == '>') {
      i++;
    }
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    int end = i;
    while (end < line.length()
        && !Character.isWhitespace(line.charAt(end))
        && "|;".indexOf(line.charAt(end)) < 0) {
      end++;
    }
    return line.substring(i, end).toLowerCase(Locale.ROOT);
  }
}
