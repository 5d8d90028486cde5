package dev.runbook.engine.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a shell line as {@code /bin/sh} will, to learn where each {@code ${…}} value stands: in a
 * plain word, in double or single quotes, in a heredoc, a comment or arithmetic, and whether the
 * text around it is itself parsed again as code by another program ({@code sh -c '…'}, {@code su
 * -c}, {@code eval}, {@code ssh host …}, an awk program, a heredoc or pipe into {@code sh}).
 *
 * <p>The scan never sees a value: values reach the shell as environment variables that the rendered
 * line only references ({@link ShellRender}), so the shell that runs the line never parses a value.
 * What the scan decides is where such a reference can be written so that a second parser does not
 * see the value either; where it cannot prove that, the slot carries a refusal that the validator
 * reports before anything runs.
 *
 * <p>Grammar covered: blanks, newlines and {@code ; & | ( )} between commands; {@code '…'}, {@code
 * "…"} with {@code \} escapes, {@code $(…)}, backticks, {@code $((…))}, {@code ${…}}; comments;
 * redirections, here-strings and heredocs ({@code <<}, {@code <<-}, quoted or not). It is a reader
 * for classification, not a shell: constructs it does not follow (a {@code case} pattern's {@code
 * )} inside {@code $(…)}) can only make it refuse more, never render a value where it is parsed.
 */
final class ShellScan {

  /** Where a value stands, which decides how its reference is written. */
  enum Context {
    /** In an unquoted word: written {@code "${NAME}"}. */
    WORD,
    /** Inside double quotes: {@code ${NAME}}. */
    DOUBLE,
    /** Inside single quotes: the quotes are closed around {@code "${NAME}"}. */
    SINGLE,
    /** In the body of a heredoc whose delimiter is unquoted: {@code ${NAME}}. */
    HEREDOC,
    /** In a comment: never run. */
    COMMENT,
    /** Inside {@code $((…))}: the value must be a whole number. */
    ARITH
  }

  /** What text the reference is written into, which limits the forms it may take. */
  enum Container {
    /** The line the engine's shell parses. */
    SCRIPT,
    /** The single-quoted command string of {@code sh -c '…'}: no {@code '} may be written. */
    SINGLE_QUOTED,
    /** A quoted-delimiter heredoc that a shell reads as its script. */
    LITERAL_HEREDOC
  }

  /**
   * One value's place.
   *
   * @param context how its reference is written
   * @param container what the reference is written into
   * @param wordStart whether the value begins a word, where a leading {@code -} would make it an
   *     option
   * @param optionsEnded whether a {@code --} came before it in its command
   * @param refusal why no reference may stand here, or null
   */
  record Slot(
      Context context,
      Container container,
      boolean wordStart,
      boolean optionsEnded,
      String refusal) {}

  /**
   * A heredoc with a quoted delimiter whose body holds values and is read as data: it is written
   * with an unquoted delimiter and its literal text escaped, so the shell expands only the
   * references.
   *
   * @param delimiterStart where the delimiter word starts (after {@code <<} and blanks)
   * @param delimiterEnd where it ends
   * @param delimiter the delimiter without quotes
   * @param bodyStart the body's first character
   * @param bodyEnd the first character after the body (the start of the delimiter line)
   */
  record Rewrite(
      int delimiterStart, int delimiterEnd, String delimiter, int bodyStart, int bodyEnd) {}

  /** The scan of one line. */
  record Result(List<Slot> slots, List<Rewrite> rewrites) {}

  private final char[] chars;
  private final int[] refAt;
  private final Slot[] slots;
  private final List<Rewrite> rewrites = new ArrayList<>();

  private ShellScan(char[] chars, int[] refAt, int refs) {
    this.chars = chars;
    this.refAt = refAt;
    this.slots = new Slot[refs];
  }

  /**
   * Scans a line.
   *
   * @param chars the line, one placeholder character per reference
   * @param refAt for each character, the index of the reference it stands for, or -1
   * @param refs how many references there are
   */
  static Result scan(char[] chars, int[] refAt, int refs) {
    ShellScan scan = new ShellScan(chars, refAt, refs);
    new Reader(scan, 0, chars.length, Container.SCRIPT).script(-1);
    List<Slot> result = new ArrayList<>();
    for (Slot slot : scan.slots) {
      result.add(
          slot != null ? slot : new Slot(Context.WORD, Container.SCRIPT, false, false, UNREAD));
    }
    return new Result(result, List.copyOf(scan.rewrites));
  }

  private static final String UNREAD =
      "stands where this reader cannot follow the shell's syntax; write it in a plain word or in"
          + " double quotes";

  /** One word of a simple command, as far as the scan knows it. */
  private static final class Word {
    final StringBuilder literal = new StringBuilder();
    boolean literalOnly = true;
    final List<Integer> refs = new ArrayList<>();

    /** Where the word starts and ends in the line. */
    int start;

    int end;

    /** The last single-quoted span in the word: its content's start and end. */
    int singleStart = -1;

    int singleEnd = -1;

    String text() {
      return literalOnly ? literal.toString() : null;
    }

    /** Whether the whole word is one {@code '…'}. */
    boolean isOneSingleQuotedSpan() {
      return singleStart == start + 1 && singleEnd == end - 1;
    }
  }

  /** A simple command: its words, and its heredocs and here-strings. */
  private static final class Command {
    final List<Word> words = new ArrayList<>();
    final List<Integer> stdinRefs = new ArrayList<>();
    final List<int[]> literalHeredocs = new ArrayList<>();
    final List<Integer> expandingHeredocRefs = new ArrayList<>();
    boolean optionsEnded;

    /** A later command of its pipeline that reads its output as code, or null. */
    CommandShape.Role pipedInto;

    List<String> texts() {
      List<String> texts = new ArrayList<>();
      words.forEach(w -> texts.add(w.text()));
      return texts;
    }
  }

  /** A heredoc announced on a line whose body follows the line. */
  private record PendingHeredoc(
      Command command, String delimiter, boolean quoted, boolean stripTabs, int start, int end) {}

  /** Reads one stretch of shell text: the line itself, or an inner script. */
  private static final class Reader {
    private final ShellScan scan;
    private final int end;
    private final Container container;
    private int pos;
    private final List<PendingHeredoc> pending = new ArrayList<>();
    private final List<Command> pipeline = new ArrayList<>();
    private Command command = new Command();

    Reader(ShellScan scan, int start, int end, Container container) {
      this.scan = scan;
      this.pos = start;
      this.end = end;
      this.container = container;
    }

    private boolean more() {
      return pos < end;
    }

    private char peek(int ahead) {
      return pos + ahead < end ? scan.chars[pos + ahead] : 0;
    }

    private boolean isRef(int at) {
      return at < end && scan.refAt[at] >= 0;
    }

    private void slot(int at, Context context, boolean wordStart, String refusal) {
      scan.slots[scan.refAt[at]] =
          new Slot(context, container, wordStart, command.optionsEnded, refusal);
    }

    /** Reads commands until {@code close} ({@code )} or a backtick) or the end; returns there. */
    void script(int close) {
      while (more()) {
        char c = peek(0);
        if (!isRef(pos) && close >= 0 && c == close) {
          endPipeline();
          pos++;
          return;
        }
        if (isRef(pos)) {
          command.words.add(word());
        } else if (c == ' ' || c == '\t') {
          pos++;
        } else if (c == '\\' && peek(1) == '\n') {
          pos += 2;
        } else if (c == '\n') {
          pos++;
          endPipeline();
          readHeredocBodies();
        } else if (c == '#') {
          comment();
        } else if (c == '|' && peek(1) != '|') {
          pos++;
          endCommand();
        } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
          pos += (c == peek(1) && c != '(' && c != ')') ? 2 : 1;
          endPipeline();
        } else if (c == '<' || c == '>') {
          redirection();
        } else {
          Word word = word();
          if (isIoNumber(word)) {
            continue; // 2>&1: the digits belong to the redirection that follows
          }
          if (command.words.isEmpty() && word.text() != null && RESERVED.contains(word.text())) {
            endPipeline(); // then, do, else …: the next word starts a command
            continue;
          }
          if ("--".equals(word.text()) && !command.words.isEmpty()) {
            command.optionsEnded = true;
          }
          command.words.add(word);
        }
      }
      endPipeline();
    }

    private boolean isIoNumber(Word word) {
      String text = word.text();
      return text != null
          && !text.isEmpty()
          && text.chars().allMatch(Character::isDigit)
          && (peek(0) == '<' || peek(0) == '>');
    }

    private void comment() {
      while (more() && peek(0) != '\n') {
        if (isRef(pos)) {
          slot(pos, Context.COMMENT, false, null);
        }
        pos++;
      }
    }

    private void redirection() {
      if (peek(0) == '<' && peek(1) == '<' && peek(2) == '<') {
        pos += 3;
        skipBlanks();
        Word word = word();
        command.stdinRefs.addAll(word.refs);
        return;
      }
      if (peek(0) == '<' && peek(1) == '<') {
        pos += 2;
        boolean stripTabs = peek(0) == '-';
        if (stripTabs) {
          pos++;
        }
        skipBlanks();
        int start = pos;
        Word delimiter = word();
        boolean quoted = !delimiter.refs.isEmpty() || quotedAt(start, pos);
        pending.add(
            new PendingHeredoc(command, unquoted(start, pos), quoted, stripTabs, start, pos));
        return;
      }
      pos++;
      while (more() && (peek(0) == '>' || peek(0) == '&' || peek(0) == '|')) {
        pos++;
      }
      skipBlanks();
      word(); // a file name or descriptor: data, never an argument
    }

    private boolean quotedAt(int start, int stop) {
      for (int i = start; i < stop; i++) {
        char c = scan.chars[i];
        if (scan.refAt[i] < 0 && (c == '\'' || c == '"' || c == '\\')) {
          return true;
        }
      }
      return false;
    }

    private String unquoted(int start, int stop) {
      StringBuilder text = new StringBuilder();
      for (int i = start; i < stop; i++) {
        char c = scan.chars[i];
        if (scan.refAt[i] >= 0 || (c != '\'' && c != '"' && c != '\\')) {
          text.append(c);
        }
      }
      return text.toString();
    }

    private void skipBlanks() {
      while (more() && (peek(0) == ' ' || peek(0) == '\t') && !isRef(pos)) {
        pos++;
      }
    }

    /** Reads one word up to an unquoted blank or operator. */
    private Word word() {
      Word word = new Word();
      word.start = pos;
      boolean started = false;
      while (more()) {
        char c = peek(0);
        if (isRef(pos)) {
          slot(pos, Context.WORD, !started, null);
          word.refs.add(scan.refAt[pos]);
          word.literalOnly = false;
          started = true;
          pos++;
          continue;
        }
        if (" \t\n;&|()<>".indexOf(c) >= 0) {
          break;
        }
        if (c == '\'') {
          int start = ++pos;
          while (more() && (peek(0) != '\'' || isRef(pos))) {
            if (isRef(pos)) {
              slot(pos, Context.SINGLE, !started && pos == start, null);
              word.refs.add(scan.refAt[pos]);
              word.literalOnly = false;
            } else {
              word.literal.append(peek(0));
            }
            pos++;
          }
          word.singleStart = start;
          word.singleEnd = pos;
          pos++; // the closing quote
          started |= word.singleEnd > start;
        } else if (c == '"') {
          pos++;
          started |= doubleQuoted(word, !started);
        } else if (c == '\\') {
          if (peek(1) != '\n') {
            word.literal.append(peek(1));
            started = true;
          }
          pos += 2;
        } else if (c == '$' && (peek(1) == '(' || peek(1) == '{' || peek(1) == '\'')) {
          dollar(word, Context.WORD);
          started = true;
        } else if (c == '`') {
          backticks(word);
          started = true;
        } else {
          word.literal.append(c);
          started = true;
          pos++;
        }
      }
      word.end = pos;
      return word;
    }

    /** Reads a double-quoted part after its opening quote; returns whether it held anything. */
    private boolean doubleQuoted(Word word, boolean atWordStart) {
      int start = pos;
      while (more()) {
        char c = peek(0);
        if (isRef(pos)) {
          slot(pos, Context.DOUBLE, atWordStart && pos == start, null);
          word.refs.add(scan.refAt[pos]);
          word.literalOnly = false;
          pos++;
        } else if (c == '"') {
          pos++;
          return pos - 1 > start;
        } else if (c == '\\') {
          if ("$`\"\\".indexOf(peek(1)) >= 0) {
            word.literal.append(peek(1));
          } else if (peek(1) != '\n') {
            word.literal.append(c).append(peek(1));
          }
          pos += 2;
        } else if (c == '$' && (peek(1) == '(' || peek(1) == '{')) {
          dollar(word, Context.DOUBLE);
        } else if (c == '`') {
          backticks(word);
        } else {
          word.literal.append(c);
          pos++;
        }
      }
      return pos > start;
    }

    /** {@code $(…)}, {@code $((…))}, {@code ${…}} or {@code $'…'}, from its {@code $}. */
    private void dollar(Word word, Context around) {
      word.literalOnly = false;
      if (peek(1) == '(' && peek(2) == '(') {
        pos += 3;
        int depth = 0;
        while (more()) {
          if (isRef(pos)) {
            slot(pos, Context.ARITH, false, null);
          } else if (peek(0) == '(') {
            depth++;
          } else if (peek(0) == ')') {
            if (depth == 0 && peek(1) == ')') {
              pos += 2;
              return;
            }
            depth--;
          }
          pos++;
        }
        return;
      }
      if (peek(1) == '(') {
        pos += 2;
        Reader inner = new Reader(scan, pos, end, container);
        inner.script(')');
        pos = inner.pos;
        return;
      }
      if (peek(1) == '\'') {
        pos += 2;
        while (more() && (peek(0) != '\'' || isRef(pos))) {
          if (isRef(pos)) {
            slot(
                pos,
                Context.SINGLE,
                false,
                "is inside $'…', whose escapes a reference cannot keep; use '…' or \"…\"");
          } else if (peek(0) == '\\') {
            pos++;
          }
          pos++;
        }
        pos++;
        return;
      }
      // ${NAME…}: the shell's own parameter expansion.
      pos += 2;
      int depth = 1;
      while (more() && depth > 0) {
        if (isRef(pos)) {
          slot(
              pos,
              around,
              false,
              "is inside the shell's own ${…} expansion, where the shell may parse it as a pattern"
                  + " or default value; move it outside the braces");
        } else if (peek(0) == '{') {
          depth++;
        } else if (peek(0) == '}') {
          depth--;
        }
        pos++;
      }
    }

    private void backticks(Word word) {
      word.literalOnly = false;
      pos++;
      Reader inner = new Reader(scan, pos, end, container);
      inner.script('`');
      pos = inner.pos;
    }

    private void endCommand() {
      if (!command.words.isEmpty()
          || !command.stdinRefs.isEmpty()
          || !command.expandingHeredocRefs.isEmpty()) {
        pipeline.add(command);
      }
      command = new Command();
    }

    private void endPipeline() {
      endCommand();
      for (int i = 0; i < pipeline.size(); i++) {
        Command current = pipeline.get(i);
        classify(current);
        for (int j = i + 1; j < pipeline.size(); j++) {
          CommandShape.Role reads = CommandShape.of(pipeline.get(j).texts()).stdin();
          if (reads.isCode()) {
            current.pipedInto = reads;
            String why =
                "is in a command whose output is piped into "
                    + reads.what()
                    + ", which parses it as code; write the value to a file or pass it as an"
                    + " argument instead";
            current.words.forEach(w -> w.refs.forEach(r -> refuse(r, why)));
            current.stdinRefs.forEach(r -> refuse(r, why));
          }
        }
      }
      pipeline.clear();
    }

    private void refuse(int ref, String why) {
      Slot slot = scan.slots[ref];
      if (slot != null && slot.refusal() == null && slot.context() != Context.COMMENT) {
        scan.slots[ref] =
            new Slot(slot.context(), slot.container(), slot.wordStart(), slot.optionsEnded(), why);
      }
    }

    /** Decides, for each value in the command's words, whether a second parser reads it. */
    private void classify(Command cmd) {
      CommandShape shape = CommandShape.of(cmd.texts());
      for (int w = 0; w < cmd.words.size(); w++) {
        Word word = cmd.words.get(w);
        if (word.refs.isEmpty()) {
          continue;
        }
        CommandShape.Role role = shape.role(w);
        if (!role.isCode()) {
          continue;
        }
        if (role.isShell() && role.environmentReaches() && word.isOneSingleQuotedSpan()) {
          new Reader(scan, word.singleStart, word.singleEnd, Container.SINGLE_QUOTED).script(-1);
          continue;
        }
        String why;
        if (!role.isShell()) {
          why =
              "is inside "
                  + role.what()
                  + ", which that program parses as code; pass the value as data instead (for"
                  + " awk: -v name=\"${…}\"), or use a separate step";
        } else if (!role.environmentReaches()) {
          why =
              "is inside the command of "
                  + role.what()
                  + ", which starts its shell without this run's environment, so the value cannot"
                  + " reach it safely; run the step as that user with the target's user: or"
                  + " become: instead";
        } else {
          why =
              "is inside the command string of "
                  + role.what()
                  + ", which a second shell parses as code; write that command string in single"
                  + " quotes ('… ${…} …'), where the value reaches the inner shell as an"
                  + " environment variable";
        }
        word.refs.forEach(r -> refuse(r, why));
      }
      CommandShape.Role stdin = shape.stdin();
      if (stdin.isCode()) {
        String why =
            "is in text that "
                + stdin.what()
                + " reads as code on its standard input; write the value elsewhere";
        cmd.stdinRefs.forEach(r -> refuse(r, why));
        cmd.expandingHeredocRefs.forEach(
            r ->
                refuse(
                    r,
                    stdin.isShell() && stdin.environmentReaches()
                        ? "is in a heredoc that "
                            + stdin.what()
                            + " reads as its script; quote the delimiter (<<'EOF') so the value"
                            + " reaches that shell as an environment variable"
                        : why));
      }
    }

    private void readHeredocBodies() {
      List<PendingHeredoc> bodies = List.copyOf(pending);
      pending.clear();
      for (PendingHeredoc heredoc : bodies) {
        int bodyStart = pos;
        int bodyEnd = end;
        int after = end;
        int line = pos;
        while (line < end) {
          int eol = line;
          while (eol < end && scan.chars[eol] != '\n') {
            eol++;
          }
          int textStart = line;
          if (heredoc.stripTabs()) {
            while (textStart < eol && scan.chars[textStart] == '\t') {
              textStart++;
            }
          }
          if (equalsLiteral(textStart, eol, heredoc.delimiter())) {
            bodyEnd = line;
            after = Math.min(end, eol + 1);
            break;
          }
          line = eol + 1;
        }
        body(heredoc, bodyStart, bodyEnd);
        pos = after;
      }
    }

    private boolean equalsLiteral(int start, int stop, String text) {
      if (stop - start != text.length()) {
        return false;
      }
      for (int i = 0; i < text.length(); i++) {
        if (scan.refAt[start + i] >= 0 || scan.chars[start + i] != text.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private void body(PendingHeredoc heredoc, int bodyStart, int bodyEnd) {
      List<Integer> refs = new ArrayList<>();
      CommandShape.Role stdin = CommandShape.of(heredoc.command().texts()).stdin();
      if (heredoc.command().pipedInto != null) {
        stdin = heredoc.command().pipedInto; // cat <<EOF | sh: the body is sh's script
      }
      if (heredoc.quoted()) {
        for (int i = bodyStart; i < bodyEnd; i++) {
          if (scan.refAt[i] >= 0) {
            refs.add(scan.refAt[i]);
          }
        }
        if (refs.isEmpty()) {
          return;
        }
        if (stdin.isShell() && stdin.environmentReaches()) {
          new Reader(scan, bodyStart, bodyEnd, Container.LITERAL_HEREDOC).script(-1);
          return;
        }
        for (int ref : refs) {
          scan.slots[ref] = new Slot(Context.HEREDOC, container, false, false, null);
        }
        if (!stdin.isCode()) {
          scan.rewrites.add(
              new Rewrite(heredoc.start(), heredoc.end(), heredoc.delimiter(), bodyStart, bodyEnd));
        }
        String why =
            "is in a heredoc that "
                + stdin.what()
                + " reads as code on its standard input; write the value elsewhere";
        if (stdin.isCode()) {
          refs.forEach(r -> refuse(r, why));
        }
        return;
      }
      Reader inner = new Reader(scan, bodyStart, bodyEnd, container);
      inner.expandingBody(refs);
      heredoc.command().expandingHeredocRefs.addAll(refs);
      if (stdin.isCode()) {
        classifyStdinOnly(heredoc.command(), refs, stdin);
      }
    }

    private void classifyStdinOnly(Command cmd, List<Integer> refs, CommandShape.Role stdin) {
      String why =
          stdin.isShell() && stdin.environmentReaches()
              ? "is in a heredoc that "
                  + stdin.what()
                  + " reads as its script; quote the delimiter (<<'EOF') so the value reaches"
                  + " that shell as an environment variable"
              : "is in text that "
                  + stdin.what()
                  + " reads as code on its standard input; write the value elsewhere";
      refs.forEach(r -> refuse(r, why));
    }

    /** An unquoted-delimiter heredoc body: expansions as in double quotes, quotes literal. */
    private void expandingBody(List<Integer> refs) {
      Word sink = new Word();
      while (more()) {
        char c = peek(0);
        if (isRef(pos)) {
          slot(pos, Context.HEREDOC, false, null);
          refs.add(scan.refAt[pos]);
          pos++;
        } else if (c == '\\') {
          pos += 2;
        } else if (c == '$' && (peek(1) == '(' || peek(1) == '{')) {
          dollar(sink, Context.HEREDOC);
        } else if (c == '`') {
          backticks(sink);
        } else {
          pos++;
        }
      }
    }
  }

  private static final Set<String> RESERVED =
      Set.of(
          "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "case", "esac",
          "in", "{", "}", "!");
}
