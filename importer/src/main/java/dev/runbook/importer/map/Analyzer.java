package dev.runbook.importer.map;

import dev.runbook.importer.document.Case;
import dev.runbook.importer.document.CommandSpan;
import dev.runbook.importer.document.DocStep;
import dev.runbook.importer.document.Document;
import dev.runbook.importer.document.Outcomes;
import dev.runbook.importer.document.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads each numbered step in document order into an {@link Analysis}, keeping the login ("as user
 * omm"), the user after {@code su} and the directory after {@code cd} from step to step, as a
 * reader at a terminal would.
 */
final class Analyzer {

  private static final Pattern PARAM_WORD =
      Pattern.compile("\\b([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)\\b");

  private final Document doc;
  private final Hosts hosts;
  private final Set<String> paramNames;
  private Login login;

  /** The commands that set up where later ones run: {@code cd}, {@code source}, {@code export}. */
  private final List<String> directories = new ArrayList<>();

  /**
   * True once a command that later ones may depend on could not run (a placeholder, an editor):
   * until the next login, the commands after it are for a person too.
   */
  private boolean contextLost;

  Analyzer(Document doc, Hosts hosts, Set<String> paramNames) {
    this.doc = doc;
    this.hosts = hosts;
    this.paramNames = paramNames;
  }

  Analysis analyze(DocStep step) {
    StepReading reading = new StepReading(step);
    for (Part part : step.body()) {
      if (part instanceof Part.Sentence sentence) {
        reading.sentence(sentence);
      } else if (part instanceof Part.CommandBlock block) {
        reading.block(block);
      } else if (part instanceof Part.Note note) {
        reading.note(note.text());
      }
    }
    return reading.result();
  }

  /** What one step has said so far, as its parts are read in order. */
  private final class StepReading {
    private final DocStep step;
    private Login loginTarget;
    private String loginText;
    private final List<Analysis.Command> commands = new ArrayList<>();
    private final List<String> instructions = new ArrayList<>();
    private final List<String> context = new ArrayList<>();
    private final List<String> todos = new ArrayList<>();
    private int firstInstruction = -1;
    private int firstCommand = -1;
    private Waits.Wait cleared;
    private Case.Ending ending = Case.Ending.NONE;
    private String endingMessage;
    private String previousSentence = "";
    private final StringBuilder question = new StringBuilder();

    /** An instruction ending in ':' that the command blocks after it may fulfil. */
    private int openIntro = -1;

    StepReading(DocStep step) {
      this.step = step;
    }

    void sentence(Part.Sentence sentence) {
      String text = sentence.text();
      append(question, text, sentence.startsParagraph());
      openIntro = -1;
      Login l = login(text);
      List<Analysis.Command> found = new ArrayList<>();
      boolean allRun = !sentence.commands().isEmpty();
      for (CommandSpan span : sentence.commands()) {
        Analysis.Command c = command(span.command(), span.placeholders(), todos);
        if (c != null) { // null: su, a change of user
          found.add(c);
          allRun &= c.runnable();
        }
      }
      boolean suOnly = !sentence.commands().isEmpty() && found.isEmpty();
      if (l != null || suOnly) {
        loginTarget = currentLogin();
        if (sentence.commands().isEmpty() || suOnly) {
          loginText = text;
        }
      }
      if (!found.isEmpty() && firstCommand < 0) {
        firstCommand = instructions.size();
      }
      commands.addAll(found);
      if (ending == Case.Ending.ESCALATED) {
        // What follows the hand-over ("For details, see technical support.") goes with it.
        endingMessage = endingMessage + " " + text;
        previousSentence = text;
        return;
      }
      Case.Ending e = Outcomes.ending(text);
      if (e != Case.Ending.NONE && ending == Case.Ending.NONE) {
        ending = e;
        endingMessage = text;
      }
      boolean isCleared = cleared(text);
      if (!Outcomes.goTos(sentence.inlines()).isEmpty()) {
        todos.add(
            "a go-to in running prose (\""
                + Texts.title(text)
                + "\"): the runbook goes on in the"
                + " document's order; make it a branch or a procedure if it is one");
      }
      boolean covered = !found.isEmpty() && allRun;
      String instruction;
      if (e != Case.Ending.NONE && isOnlyEnding(text) || e == Case.Ending.ESCALATED) {
        instruction = null;
      } else if (isCleared) {
        // "Run the **x** command and check whether the alarm is cleared": the command covers it
        instruction = covered ? null : ClearedCheck.remainder(text);
      } else if (covered || l != null && sentence.commands().isEmpty() || suOnly) {
        instruction = null; // a login: a person's only if no command of the runbook uses it
      } else {
        instruction = text;
      }
      instruct(instruction, text);
      previousSentence = text;
    }

    /** The login a sentence makes, if any, now where the commands that follow run. */
    private Login login(String text) {
      Login l = Login.in(text);
      if (l != null) {
        login = l;
        directories.clear();
        contextLost = false;
        if (l.assumed() && l.host() == null) {
          addOnce(
              todos,
              "the document logs in to 'the node' without saying which: the runbook assumes the"
                  + " alarm host");
        }
      }
      return l;
    }

    /** True when the sentence checks whether the alarm is cleared; keeps the wait it states. */
    private boolean cleared(String text) {
      if (!ClearedCheck.in(text, doc.alarmId())) {
        return false;
      }
      cleared = Waits.in(text);
      if (cleared == null) {
        cleared = Waits.in(previousSentence);
      }
      if (cleared == null) {
        cleared = new Waits.Wait("0s", true, null);
      }
      return true;
    }

    private void instruct(String instruction, String text) {
      if (instruction == null || instruction.isBlank()) {
        return;
      }
      if (firstInstruction < 0) {
        firstInstruction = instructions.size();
      }
      instructions.add(Texts.sentence(instruction));
      if (text.strip().endsWith(":")) {
        openIntro = instructions.size() - 1;
      }
    }

    void block(Part.CommandBlock block) {
      append(question, block.text(), true);
      switch (block.kind()) {
        case SHELL -> shellBlock(block);
        case STATEMENT -> instructions.add(block.text());
        case EXAMPLE -> context.add(block.text());
      }
    }

    private void shellBlock(Part.CommandBlock block) {
      Analysis.Command c = command(block.text(), block.placeholders(), todos);
      if (c == null) {
        return;
      }
      if (c.runnable() && openIntro >= 0 && openIntro == instructions.size() - 1) {
        instructions.remove(openIntro); // "Run the following command:" is the shell step
        openIntro = -1;
      }
      if (!c.runnable()) {
        instructions.add(block.text());
      }
      if (firstCommand < 0) {
        firstCommand = instructions.size();
      }
      commands.add(c);
    }

    void note(String text) {
      context.add(text);
      append(question, text, true);
    }

    Analysis result() {
      boolean instructionsFirst =
          firstInstruction >= 0 && (firstCommand < 0 || firstInstruction < firstCommand);
      return new Analysis(
          step,
          loginTarget,
          loginText,
          commands,
          instructions,
          instructionsFirst,
          context,
          question.toString(),
          cleared,
          ending,
          endingMessage,
          todos);
    }
  }

  private static void addOnce(List<String> todos, String todo) {
    if (!todos.contains(todo)) {
      todos.add(todo);
    }
  }

  private static void append(StringBuilder text, String piece, boolean paragraph) {
    if (piece.isBlank()) {
      return;
    }
    if (text.length() > 0) {
      text.append(paragraph ? "\n" : " ");
    }
    text.append(piece.strip());
  }

  private static boolean isOnlyEnding(String text) {
    return text.replaceAll(
                "(?i)no further (action|operation|handling|step)s? (is|are) (required|needed)|(the )?(alarm )?handling is (complete|completed|finished)",
                "")
            .replaceAll("[^A-Za-z]", "")
            .length()
        < 3;
  }

  private Login currentLogin() {
    return login != null ? login : Login.ALARM_HOST_UNKNOWN_USER;
  }

  /** A command as it runs, or null for {@code su} (which changes the login's user). */
  private Analysis.Command command(String written, List<String> placeholders, List<String> todos) {
    String line = written.strip();
    String user = Login.switchedUser(line);
    if (user != null) {
      login = currentLogin().as(user);
      directories.clear();
      contextLost = false;
      return null;
    }
    if (contextLost) {
      addOnce(
          todos,
          "'"
              + Texts.title(line)
              + "' follows a command a person runs, in the same shell: a person runs it too");
      return new Analysis.Command(line, null, true, written);
    }
    if (isStatement(line)) {
      return new Analysis.Command(line, null, true, written); // SQL: for a database client, by hand
    }
    if (!placeholders.isEmpty()) {
      contextLost = isSetup(line);
      addOnce(
          todos,
          "'"
              + Texts.title(line)
              + "' needs a value the document does not give ("
              + String.join(", ", placeholders)
              + "): a person runs it");
      return new Analysis.Command(line, null, true, written);
    }
    CommandSafety.Judged judged = CommandSafety.judge(line);
    if (judged.verdict() == CommandSafety.Verdict.INTERACTIVE) {
      contextLost = isSetup(line);
      todos.add("'" + Texts.title(line) + "': " + judged.reason() + ", so a person runs it");
      return new Analysis.Command(line, null, true, written);
    }
    String target;
    if (doc.alarmId() == null && login == null) {
      target = Hosts.LOCAL;
    } else {
      if (login == null) {
        todos.add(
            "the document does not say where '"
                + Texts.title(line)
                + "' runs: the runbook runs it on the alarm host");
        login = Login.ALARM_HOST_UNKNOWN_USER;
      }
      target = hosts.target(login);
    }
    String run = withParams(judged.command());
    if (run.startsWith("cd ")) {
      if (run.substring(3).strip().matches("[/$~].*")) {
        directories.clear(); // an absolute directory: where the earlier ones led no longer matters
      }
      String prefix = String.join(" && ", directories);
      directories.add(run);
      return new Analysis.Command(
          prefix.isEmpty() ? run : prefix + " && " + run, target, false, written);
    }
    String prefix = directories.isEmpty() ? "" : String.join(" && ", directories) + " && ";
    if (isSetup(run)) {
      // Every step is a shell of its own: the environment is set up again before each command.
      directories.add(run);
    }
    return new Analysis.Command(
        prefix + run, target, judged.verdict() == CommandSafety.Verdict.CHANGES, written);
  }

  private static final Pattern STATEMENT =
      Pattern.compile(
          "(?is)(select|show|insert|update|delete|create|drop|alter|grant|revoke|explain|truncate|use|describe|desc|upsert)\\s.*|set\\s+(global|session)\\b.*|kill\\s+(mutation|query)\\b.*");

  /** A database statement ("SELECT 1;", "show variables like 'x';"), not a shell command. */
  private static boolean isStatement(String line) {
    return STATEMENT.matcher(line.strip()).matches() && !line.contains("|");
  }

  /** "source bigdata_env", ". env.sh", "export X=y": what later commands of the shell rely on. */
  private static boolean isSetup(String line) {
    return line.matches("(?s)(source|\\.|export)\\s+.*");
  }

  /** "df -h | grep DiskName": a word that is a parameter's name becomes that parameter. */
  private String withParams(String line) {
    Matcher m = PARAM_WORD.matcher(line);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      if (paramNames.contains(m.group(1)) && !insideBraces(line, m.start())) {
        out.append(Texts.literal(line.substring(last, m.start())))
            .append("${params.")
            .append(m.group(1))
            .append('}');
        last = m.end();
      }
    }
    out.append(Texts.literal(line.substring(last)));
    return out.toString();
  }

  private static boolean insideBraces(String line, int at) {
    int open = line.lastIndexOf("${", at);
    return open >= 0 && line.indexOf('}', open) >= at;
  }
}
