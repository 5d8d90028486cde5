package dev.runbook.engine.expr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which words of one simple command another program parses as code, and whether the command reads
 * code on its standard input: the command string of {@code sh -c}, {@code su -c}, {@code eval}'s
 * arguments, {@code ssh}'s remote command, an awk or sed program, {@code python -c} …, found
 * through wrappers that run a command ({@code sudo}, {@code env}, {@code timeout}, {@code xargs},
 * {@code find -exec} …).
 *
 * <p>Words are known only when they are literal; a command whose name holds a value or an expansion
 * is treated as unknown, so its words are data (the value is one argument of whatever program that
 * is).
 */
final class CommandShape {

  /** What a word (or standard input) is to the command. */
  record Role(Kind kind, boolean environmentReaches, String what) {

    static final Role DATA = new Role(Kind.DATA, true, null);

    enum Kind {
      DATA,
      /** Parsed by a POSIX shell. */
      SHELL,
      /** Parsed by another language's interpreter. */
      OTHER
    }

    boolean isCode() {
      return kind != Kind.DATA;
    }

    boolean isShell() {
      return kind == Kind.SHELL;
    }

    static Role shell(boolean environmentReaches, String what) {
      return new Role(Kind.SHELL, environmentReaches, what);
    }

    static Role other(String what) {
      return new Role(Kind.OTHER, false, what);
    }
  }

  /** A program that runs code given as an option's value, a program operand, or stdin. */
  private record Interpreter(
      Set<String> codeOptions, Set<String> valueOptions, boolean programOperand, String what) {}

  private static final Set<String> SHELLS =
      Set.of("sh", "bash", "dash", "ksh", "zsh", "ash", "mksh", "yash", "posh");

  private static final Map<String, Interpreter> INTERPRETERS = interpreters();

  private static Map<String, Interpreter> interpreters() {
    Interpreter awk =
        new Interpreter(
            Set.of("-e", "--source"),
            Set.of("-F", "-v", "-f", "-W", "-i", "-l", "--assign", "--file", "--field-separator"),
            true,
            "the awk program");
    Map<String, Interpreter> map = new HashMap<>();
    for (String name : List.of("awk", "gawk", "mawk", "nawk")) {
      map.put(name, awk);
    }
    map.put(
        "sed",
        new Interpreter(
            Set.of("-e", "--expression"),
            Set.of("-f", "--file", "-l", "--line-length"),
            true,
            "the sed script"));
    Interpreter perl = new Interpreter(Set.of("-e", "-E"), Set.of("-I", "-M", "-m"), false, "perl");
    map.put("perl", perl);
    map.put("ruby", new Interpreter(Set.of("-e"), Set.of("-I", "-r"), false, "ruby"));
    Interpreter python =
        new Interpreter(Set.of("-c"), Set.of("-W", "-X", "-m"), false, "python's -c program");
    for (String name : List.of("python", "python2", "python3")) {
      map.put(name, python);
    }
    Interpreter node =
        new Interpreter(Set.of("-e", "--eval", "-p", "--print"), Set.of("-r"), false, "node");
    map.put("node", node);
    map.put("nodejs", node);
    map.put("php", new Interpreter(Set.of("-r"), Set.of("-c", "-d"), false, "php"));
    map.put("lua", new Interpreter(Set.of("-e"), Set.of("-l"), false, "lua"));
    map.put("Rscript", new Interpreter(Set.of("-e"), Set.of(), false, "Rscript"));
    map.put("expect", new Interpreter(Set.of("-c"), Set.of("-f"), false, "expect"));
    map.put(
        "jq",
        new Interpreter(
            Set.of(),
            Set.of("-f", "--from-file", "--indent", "-L"),
            true,
            "the jq program (pass values with --arg NAME VALUE)"));
    map.put(
        "psql",
        new Interpreter(
            Set.of("-c", "--command"),
            Set.of("-h", "-p", "-U", "-d", "-f", "-v", "-o", "-P", "-T", "-F", "-R", "--set"),
            false,
            "psql's SQL"));
    map.put(
        "mysql",
        new Interpreter(
            Set.of("-e", "--execute"), Set.of("-h", "-P", "-u", "-D"), false, "mysql's SQL"));
    map.put("bc", new Interpreter(Set.of(), Set.of(), false, "bc"));
    map.put("dc", new Interpreter(Set.of("-e", "--expression"), Set.of("-f"), false, "dc"));
    return Map.copyOf(map);
  }

  /** Wrappers that run the rest of their words as a command, and their options with a value. */
  private static final Map<String, Set<String>> WRAPPERS =
      Map.ofEntries(
          Map.entry(
              "sudo",
              Set.of(
                  "-u",
                  "-g",
                  "-C",
                  "-D",
                  "-h",
                  "-p",
                  "-r",
                  "-t",
                  "-U",
                  "-T",
                  "--user",
                  "--group",
                  "--host",
                  "--prompt",
                  "--role",
                  "--type",
                  "--other-user",
                  "--close-from",
                  "--chdir")),
          Map.entry("doas", Set.of("-u", "-C")),
          Map.entry("env", Set.of("-u", "-C", "--unset", "--chdir")),
          Map.entry("nohup", Set.of()),
          Map.entry("setsid", Set.of()),
          Map.entry("time", Set.of()),
          Map.entry("command", Set.of()),
          Map.entry("exec", Set.of("-a")),
          Map.entry("nice", Set.of("-n", "--adjustment")),
          Map.entry("ionice", Set.of("-c", "-n", "-p", "--class", "--classdata")),
          Map.entry("stdbuf", Set.of("-i", "-o", "-e")),
          Map.entry("unbuffer", Set.of()),
          Map.entry("chrt", Set.of()),
          Map.entry(
              "xargs",
              Set.of(
                  "-a",
                  "-d",
                  "-E",
                  "-I",
                  "-L",
                  "-n",
                  "-P",
                  "-s",
                  "--arg-file",
                  "--delimiter",
                  "--max-lines",
                  "--max-args",
                  "--max-procs",
                  "--max-chars",
                  "--replace")));

  /** Wrappers with operands before the command: their count. */
  private static final Map<String, Integer> OPERANDS_BEFORE_COMMAND =
      Map.of("timeout", 1, "chroot", 1, "taskset", 1);

  private final Role[] roles;
  private final Role stdin;

  private CommandShape(Role[] roles, Role stdin) {
    this.roles = roles;
    this.stdin = stdin;
  }

  /** The role of word {@code index} (0 is the first word, usually the program). */
  Role role(int index) {
    return index < roles.length && roles[index] != null ? roles[index] : Role.DATA;
  }

  /** What the command does with its standard input. */
  Role stdin() {
    return stdin;
  }

  /**
   * Reads a command's words.
   *
   * @param words the words, each null when it is not literal
   */
  static CommandShape of(List<String> words) {
    Role[] roles = new Role[words.size()];
    Role stdin = analyse(words, 0, words.size(), true, roles);
    return new CommandShape(roles, stdin);
  }

  private static Role analyse(
      List<String> words, int from, int to, boolean environmentReaches, Role[] roles) {
    int i = from;
    while (i < to && words.get(i) != null && isAssignment(words.get(i))) {
      i++;
    }
    boolean env = environmentReaches;
    while (i < to) {
      String word = words.get(i);
      if (word == null) {
        return Role.DATA; // the program is named by a value: its words are its data
      }
      String name = word.substring(word.lastIndexOf('/') + 1);
      if (name.equals("busybox") || name.equals("builtin")) {
        i++;
        continue;
      }
      if (WRAPPERS.containsKey(name) || OPERANDS_BEFORE_COMMAND.containsKey(name)) {
        if (name.equals("sudo") || name.equals("doas")) {
          env = env && preservesEnvironment(words, i + 1, to);
        }
        if (name.equals("env") && hasFlag(words, i + 1, to, "-i", "--ignore-environment")) {
          env = false;
        }
        if (name.equals("env") && hasFlag(words, i + 1, to, "-S", "--split-string")) {
          markRest(roles, i + 1, to, Role.shell(false, "env -S"));
          return Role.DATA;
        }
        i = skipOptions(words, i + 1, to, WRAPPERS.getOrDefault(name, Set.of()));
        if (name.equals("env")) {
          while (i < to && words.get(i) != null && isAssignment(words.get(i))) {
            i++;
          }
        }
        i += OPERANDS_BEFORE_COMMAND.getOrDefault(name, 0);
        continue;
      }
      if (name.equals("find")) {
        return find(words, i + 1, to, env, roles);
      }
      if (name.equals("flock")) {
        return flock(words, i + 1, to, env, roles);
      }
      if (SHELLS.contains(name)) {
        return shell(words, i, to, env, roles, name + " -c");
      }
      if (name.equals("su") || name.equals("runuser")) {
        return su(words, i, to, env, roles, name);
      }
      if (name.equals("eval")) {
        markRest(roles, i + 1, to, Role.shell(env, "eval"));
        return Role.DATA;
      }
      if (name.equals("watch")) {
        if (hasFlag(words, i + 1, to, "-x", "--exec")) {
          i = skipOptions(words, i + 1, to, Set.of("-n", "--interval"));
          continue;
        }
        int first = skipOptions(words, i + 1, to, Set.of("-n", "--interval"));
        markRest(roles, first, to, Role.shell(env, "watch"));
        return Role.DATA;
      }
      if (name.equals("ssh")) {
        return ssh(words, i + 1, to, roles);
      }
      Interpreter interpreter = INTERPRETERS.get(name);
      if (interpreter != null) {
        return interpreter(words, i + 1, to, roles, interpreter);
      }
      return Role.DATA;
    }
    return Role.DATA;
  }

  private static boolean isAssignment(String word) {
    int eq = word.indexOf('=');
    return eq > 0 && word.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*");
  }

  private static boolean preservesEnvironment(List<String> words, int from, int to) {
    for (int i = from; i < to; i++) {
      String word = words.get(i);
      if (word == null || !word.startsWith("-")) {
        return false;
      }
      if (word.equals("-E") || word.startsWith("--preserve-env")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasFlag(List<String> words, int from, int to, String... flags) {
    for (int i = from; i < to; i++) {
      String word = words.get(i);
      if (word == null) {
        return false;
      }
      for (String flag : flags) {
        if (word.equals(flag) || word.startsWith(flag + "=")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The index of the first operand after options starting at {@code from}. */
  private static int skipOptions(List<String> words, int from, int to, Set<String> withValue) {
    int i = from;
    while (i < to) {
      String word = words.get(i);
      if (word == null || !word.startsWith("-") || word.equals("-")) {
        return i;
      }
      if (word.equals("--")) {
        return i + 1;
      }
      i += withValue.contains(word) ? 2 : 1;
    }
    return i;
  }

  private static void markRest(Role[] roles, int from, int to, Role role) {
    for (int i = from; i < to; i++) {
      roles[i] = role;
    }
  }

  private static Role shell(
      List<String> words, int at, int to, boolean env, Role[] roles, String what) {
    boolean command = false;
    int i = at + 1;
    while (i < to) {
      String word = words.get(i);
      if (word == null || word.equals("-") || !(word.startsWith("-") || word.startsWith("+"))) {
        break;
      }
      if (word.equals("--")) {
        i++;
        break;
      }
      if (word.equals("-o") || word.equals("+o") || word.equals("-O") || word.equals("+O")) {
        i += 2;
        continue;
      }
      if (word.startsWith("--")) {
        i += word.equals("--rcfile") || word.equals("--init-file") ? 2 : 1;
        continue;
      }
      if (word.startsWith("-") && word.indexOf('c') > 0) {
        command = true;
      }
      i++;
    }
    if (command) {
      if (i < to) {
        roles[i] = Role.shell(env, "`" + what + "`");
      }
      return Role.DATA;
    }
    return i < to ? Role.DATA : Role.shell(env, words.get(at));
  }

  private static Role su(
      List<String> words, int at, int to, boolean env, Role[] roles, String name) {
    boolean reaches = env;
    int command = -1;
    boolean hasUser = false;
    for (int i = at + 1; i < to; i++) {
      String word = words.get(i);
      if (word == null) {
        continue;
      }
      if (word.equals("-") || word.equals("-l") || word.equals("--login")) {
        reaches = false;
      } else if (word.equals("-c") || word.equals("--command")) {
        command = i + 1;
        i++;
      } else if (word.startsWith("--command=") || (word.startsWith("-c") && word.length() > 2)) {
        command = i;
      } else if (Set.of("-s", "--shell", "-g", "--group", "-G", "-u", "-w").contains(word)) {
        i++;
      } else if (!word.startsWith("-")) {
        hasUser = true;
      }
    }
    String what = name + (reaches ? "" : " -") + " -c";
    if (command >= 0 && command < to) {
      roles[command] = Role.shell(reaches, "`" + what + "`");
      return Role.DATA;
    }
    return Role.shell(reaches, hasUser || command < 0 ? name : what);
  }

  private static Role ssh(List<String> words, int from, int to, Role[] roles) {
    String withValue = "BbcDEeFIiJLlmOopQRSWw";
    int i = from;
    while (i < to) {
      String word = words.get(i);
      if (word == null || !word.startsWith("-")) {
        break;
      }
      char last = word.charAt(word.length() - 1);
      i += word.length() == 2 && withValue.indexOf(last) >= 0 ? 2 : 1;
    }
    if (i + 1 < to) {
      markRest(roles, i + 1, to, Role.shell(false, "ssh's remote command"));
      return Role.DATA;
    }
    return Role.shell(false, "ssh");
  }

  /**
   * {@code flock [options] FILE -c COMMAND} (the command string is shell code, wherever {@code -c}
   * stands) or {@code flock [options] FILE PROGRAM ARGS…} (a command of its own).
   */
  private static Role flock(List<String> words, int from, int to, boolean env, Role[] roles) {
    Set<String> withValue = Set.of("-w", "--wait", "--timeout", "-E", "--conflict-exit-code");
    Role code = Role.shell(env, "`flock -c`");
    boolean fileSeen = false;
    for (int i = from; i < to; i++) {
      String word = words.get(i);
      if (word == null) {
        if (fileSeen) {
          return Role.DATA; // the program is named by a value: its words are its data
        }
        fileSeen = true;
        continue;
      }
      if (word.equals("-c") || word.equals("--command")) {
        if (i + 1 < to) {
          roles[i + 1] = code;
        }
        return Role.DATA;
      }
      if (word.startsWith("--command=") || (word.startsWith("-c") && word.length() > 2)) {
        roles[i] = code;
        return Role.DATA;
      }
      if (word.equals("--")) {
        continue;
      }
      if (word.startsWith("-") && !word.equals("-")) {
        if (withValue.contains(word)) {
          i++;
        }
        continue;
      }
      if (!fileSeen) {
        fileSeen = true;
        continue;
      }
      return analyse(words, i, to, env, roles);
    }
    return Role.DATA;
  }

  private static Role find(List<String> words, int from, int to, boolean env, Role[] roles) {
    for (int i = from; i < to; i++) {
      String word = words.get(i);
      if (word != null && word.matches("-(exec|execdir|ok|okdir)")) {
        int end = i + 1;
        while (end < to && !(";".equals(words.get(end)) || "+".equals(words.get(end)))) {
          end++;
        }
        analyse(words, i + 1, end, env, roles);
        i = end;
      }
    }
    return Role.DATA;
  }

  private static Role interpreter(
      List<String> words, int from, int to, Role[] roles, Interpreter interpreter) {
    Role code = Role.other(interpreter.what());
    boolean programGiven = false;
    List<Integer> operands = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String word = words.get(i);
      if (word == null || !word.startsWith("-") || word.equals("-")) {
        operands.add(i);
        continue;
      }
      if (word.equals("--")) {
        for (int j = i + 1; j < to; j++) {
          operands.add(j);
        }
        break;
      }
      String option = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
      if (interpreter.codeOptions().contains(option)) {
        programGiven = true;
        if (!word.contains("=") && i + 1 < to) {
          roles[++i] = code;
        } else {
          roles[i] = code;
        }
        continue;
      }
      if (!option.startsWith("--") && option.length() > 2) {
        // A cluster such as perl's -ne or -lane: its last letter may take the next word.
        String last = "-" + option.charAt(option.length() - 1);
        if (interpreter.codeOptions().contains(last)) {
          programGiven = true;
          if (i + 1 < to) {
            roles[++i] = code;
          }
          continue;
        }
        String first = option.substring(0, 2);
        if (interpreter.codeOptions().contains(first)) {
          programGiven = true;
          roles[i] = code; // -e'program' in one word
          continue;
        }
      }
      if (option.equals("-f") || option.equals("--file") || option.equals("--from-file")) {
        programGiven = true;
      }
      if (interpreter.valueOptions().contains(option) && !word.contains("=")) {
        i++;
      }
      if (option.equals("--arg")
          || option.equals("--argjson")
          || option.equals("--slurpfile")
          || option.equals("--rawfile")) {
        i += 2;
      }
    }
    if (interpreter.programOperand() && !programGiven && !operands.isEmpty()) {
      roles[operands.get(0)] = code;
      return Role.DATA;
    }
    if (!programGiven && operands.isEmpty()) {
      return code;
    }
    return Role.DATA;
  }
}
