package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.library.RunbookLibrary;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.parse.RunbookParser;
import dev.runbook.engine.plugin.PluginRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a dry-run starts no process, opens no connection and writes no file: while it runs, a
 * security manager records (and refuses) every attempt to exec a program or connect a socket, and
 * records every file written or deleted. Every dry-run runs with an empty home directory (where the
 * default state directory is) and an empty state directory given with --state-dir, and both must
 * still be empty afterwards.
 */
@SuppressWarnings(
    "removal") // SecurityManager is deprecated, but still the JDK's own hook on exec and connect
class DryRunTouchesNothingTest {

  private final List<String> attempts = new CopyOnWriteArrayList<>();
  private volatile boolean watching;
  private SecurityManager previous;
  private String previousHome;
  private Path home;
  private Path state;

  @BeforeEach
  void watchExecConnectAndWrites(@TempDir Path dirs) throws IOException {
    home = Files.createDirectories(dirs.resolve("home"));
    state = Files.createDirectories(dirs.resolve("state"));
    previousHome = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
    previous = System.getSecurityManager();
    System.setSecurityManager(
        new SecurityManager() {
          @Override
          public void checkPermission(Permission perm) {
            // everything else is allowed
          }

          @Override
          public void checkExec(String cmd) {
            attempts.add("exec " + cmd);
            throw new SecurityException("dry-run tried to exec " + cmd);
          }

          @Override
          public void checkConnect(String host, int port) {
            attempts.add("connect " + host + ":" + port);
            throw new SecurityException("dry-run tried to connect to " + host + ":" + port);
          }

          @Override
          public void checkWrite(String file) {
            if (watching) {
              attempts.add("write " + file);
            }
          }

          @Override
          public void checkDelete(String file) {
            if (watching) {
              attempts.add("delete " + file);
            }
          }
        });
  }

  @AfterEach
  void restore() throws IOException {
    System.setSecurityManager(previous);
    System.setProperty("user.home", previousHome);
    assertThat(everythingIn(home)).as("the home directory stays empty").isEmpty();
    assertThat(everythingIn(state)).as("the state directory stays empty").isEmpty();
  }

  private static List<Path> everythingIn(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> !p.equals(dir)).toList();
    }
  }

  /** The CLI run while file writes are recorded (the test's own set-up writes are not). */
  private Cli watched(boolean withStateDir, List<String> args) {
    List<String> all = new ArrayList<>();
    if (withStateDir) {
      all.addAll(List.of("--state-dir", state.toString()));
    }
    all.addAll(args);
    watching = true;
    try {
      return Cli.runRaw(all.toArray(String[]::new));
    } finally {
      watching = false;
    }
  }

  @Test
  void theWatcherReallyCatchesExecAndConnect() {
    // Without this, a broken watcher would make the tests below pass vacuously.
    try {
      new ProcessBuilder("/bin/true").start();
    } catch (IOException | SecurityException expected) {
      // refused
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), 9)) {
      assertThat(socket).isNull();
    } catch (IOException | SecurityException expected) {
      // refused
    }
    watching = true;
    try {
      Files.writeString(home.resolve("x"), "x");
      Files.delete(home.resolve("x"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      watching = false;
    }
    assertThat(attempts).hasSize(4);
    assertThat(attempts.get(2)).startsWith("write ").endsWith("x");
    assertThat(attempts.get(3)).startsWith("delete ");
    attempts.clear();
  }

  @Test
  void dryRunOfALocalRunbookRunsNothing(@TempDir Path dir) throws IOException {
    Path marker = dir.resolve("marker");
    Files.writeString(
        dir.resolve("touch.yaml"),
        """
        runbook: T-1
        title: Would touch a file
        targets: {remote: {ssh: 127.0.0.1, user: nobody}}
        steps:
          - id: touch
            shell: touch %s
          - id: remote
            on: remote
            shell: touch %s
          - id: check
            shell: test -f %s
            exit_codes: [0, 1]
            if: result.exitCode == 0
            yes: {end: resolved}
            no: {end: failed}
        """
            .formatted(marker, marker, marker));
    for (boolean withStateDir : List.of(true, false)) {
      Cli cli =
          watched(withStateDir, List.of("--runbooks", dir.toString(), "run", "T-1", "--dry-run"));
      assertThat(cli.err()).isEmpty();
      assertThat(cli.exitCode()).isZero();
      assertThat(cli.out()).contains("$ touch " + marker).contains("on nobody@127.0.0.1 (ssh)");
      assertThat(attempts).isEmpty();
      assertThat(marker).doesNotExist();
    }
  }

  @Test
  void dryRunOfEveryShippedRunbookRunsNothing() {
    RunbookLibrary library =
        RunbookLibrary.load(
            List.of(Cli.LIBRARY),
            new RunbookParser(PluginRegistry.load(getClass().getClassLoader())));
    assertThat(library.runbooks()).isNotEmpty();
    for (Runbook runbook : library.runbooks()) {
      List<String> args = new ArrayList<>(List.of("run", runbook.id(), "--dry-run"));
      for (ParamSpec param : runbook.params().values()) {
        if (param.required() && param.defaultValue() == null) {
          args.addAll(List.of("-p", param.name() + "=" + sample(param)));
        }
      }
      List<String> all = new ArrayList<>(List.of("--runbooks", Cli.LIBRARY.toString()));
      all.addAll(args);
      for (boolean withStateDir : List.of(true, false)) {
        Cli cli = watched(withStateDir, all);
        assertThat(cli.exitCode()).as(runbook.id() + ": " + cli.err()).isZero();
        assertThat(cli.out()).contains("DRY RUN  " + runbook.id());
      }
    }
    assertThat(attempts).isEmpty();
  }

  private static String sample(ParamSpec param) {
    return switch (param.type()) {
      case HOST, HOSTS -> "127.0.0.1";
      case INT -> "1";
      case BOOL -> "true";
      case DURATION -> "1s";
      case PATH -> "/tmp";
      case ENUM -> param.values().get(0);
      default -> "x";
    };
  }
}
