package dev.runbook.importer.map;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a document's commands run: "Log in to the node for which the alarm is generated as user
 * **omm**", "Log in to the active OMS Database node as user **root**", "Run the **su - omm**
 * command". Logins to MRS Manager, a console, a web UI or an FTP server are for a person, not for
 * commands, and are not logins here.
 *
 * @param host the host's words as the document writes them, or null for the alarm host
 * @param user the login user, or null when the document names none
 * @param assumed true when the document says only "the node" and the alarm host is assumed
 */
record Login(String host, String user, boolean assumed) {

  private static final Pattern LOG_IN =
      Pattern.compile(
          "(?i)\\blog(?:\\s*in|\\s*on)\\s+to\\s+(?<where>.+?)(?=\\s+as\\s+|[,.;]|\\s+and\\s+|\\s+by\\s+|\\s+in\\s+\\w+\\s+mode|$)");
  private static final Pattern AS_USER =
      Pattern.compile(
          "(?i)\\bas\\s+(?:the\\s+)?user\\s+([A-Za-z_][\\w.-]*)|\\bas\\s+([A-Za-z_][\\w.-]*)\\s+user\\b|\\bas\\s+(root|omm|ommdba)\\b");
  private static final Pattern MACHINE =
      Pattern.compile("(?i)\\b(node|host|server|machine|vm|ecs)s?\\b");
  private static final Pattern NOT_A_MACHINE =
      Pattern.compile(
          "(?i)manager|console|portal|web\\s*ui|\\bui\\b|\\bpage\\b|\\bftp\\b|\\bsftp\\b|\\bmode\\b");
  private static final Pattern ALARM_HOST =
      Pattern.compile("(?i)alarm|alarmed|faulty|abnormal|for\\s+which|reported|\\bfault\\b");
  private static final Pattern BARE = Pattern.compile("(?i)(?:the\\s+)?(?:node|host|server)");
  private static final Pattern SU =
      Pattern.compile("(?:sudo\\s+)?su\\s+(?:-\\s+|-l\\s+|--login\\s+)?([A-Za-z_][\\w.-]*)\\s*");

  static final Login ALARM_HOST_UNKNOWN_USER = new Login(null, null, true);

  /** The login a sentence describes, or null. */
  static Login in(String sentence) {
    Matcher m = LOG_IN.matcher(sentence);
    if (!m.find()) {
      return null;
    }
    String where = m.group("where").strip();
    if (!MACHINE.matcher(where).find()
        || NOT_A_MACHINE.matcher(where).find()
        || sentence.matches("(?is).*\\b(?:ftp|sftp)\\s+mode.*")) {
      return null;
    }
    Matcher as = AS_USER.matcher(sentence.substring(m.start()));
    String user = null;
    if (as.find()) {
      for (int g = 1; g <= 3; g++) {
        if (as.group(g) != null
            && !Set.of("a", "an", "the").contains(as.group(g).toLowerCase(Locale.ROOT))) {
          user = as.group(g).replaceAll("[.-]+$", "");
        }
      }
    }
    if (ALARM_HOST.matcher(where).find()) {
      return new Login(null, user, false);
    }
    if (BARE.matcher(where).matches()) {
      return new Login(null, user, true);
    }
    return new Login(
        where.replaceAll("(?i)^the\\s+", "").replaceAll("\\s*\\(.*", "").strip(), user, false);
  }

  /** The user a {@code su} command switches to, or null when the command is not one. */
  static String switchedUser(String command) {
    Matcher m = SU.matcher(command.strip());
    return m.matches() ? m.group(1) : null;
  }

  Login as(String newUser) {
    return new Login(host, newUser, assumed);
  }

  /** How a person reads it: "the alarm host as user omm". */
  String describe() {
    String where = host == null ? "the alarm host" : "the " + host;
    return user == null ? where : where + " as user " + user;
  }
}
