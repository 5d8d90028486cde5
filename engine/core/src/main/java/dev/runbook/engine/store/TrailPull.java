package dev.runbook.engine.store;

import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.Hashes;
import dev.runbook.engine.audit.Ledger;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.SigningKey;
import dev.runbook.engine.execute.TrailLock;
import dev.runbook.engine.state.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * Brings a run's copy in this state directory up to date from the shared store before the run is
 * resumed or answered here. The store is the run's record: whichever server took a run over went on
 * from the store's lines, so a local copy that lacks some of them, or differs from them, is
 * replaced. A local copy that has every line of the store and more (lines written after the last
 * durable one, not yet copied when the run stopped) is kept: the run's log hands those to the store
 * when it goes on.
 */
public final class TrailPull {

  private TrailPull() {}

  /**
   * @return the run's directory here, or null when neither the store nor this state directory has
   *     the run
   * @throws IOException also when the run is being written here now (its trail lock is held)
   */
  public static RunDirectory pull(TrailStore shared, Path stateDir, String runId)
      throws IOException {
    RunDirectory dir = new RunDirectory(runId, RunDirectory.runsRoot(stateDir).resolve(runId));
    List<byte[]> stored = shared.lines(runId);
    boolean here = Files.isRegularFile(dir.events());
    if (stored.isEmpty()) {
      return here ? dir : null;
    }
    if (here && coversStore(AuditTrail.read(dir).lines(), stored)) {
      return dir;
    }
    PrivateFiles.createDirectories(dir.path().resolve("outputs"));
    try (TrailLock lock = TrailLock.take(dir)) {
      for (String name : shared.fileNames(runId)) {
        Path file =
            dir.outputFile(name)
                .orElseThrow(
                    () ->
                        new IOException(
                            "the store holds a file '"
                                + name
                                + "' for run "
                                + runId
                                + ", which is not outputs/NAME: it was not written by the engine;"
                                + " nothing was brought here"));
        replace(file, shared.file(runId, name));
      }
      ByteArrayOutputStream events = new ByteArrayOutputStream();
      for (byte[] line : stored) {
        events.write(line);
        events.write('\n');
      }
      byte[] head = shared.head(runId);
      // The head first: a crash between the two leaves a head behind its lines (a resume then
      // re-reads the store), never lines a head does not cover being taken as cut off.
      if (head != null) {
        replace(dir.head(), head);
      }
      replace(dir.events(), events.toByteArray());
      // The run belongs to this state directory now: its ledger says so, as for a run made here.
      Ledger.copied(
          stateDir,
          runId,
          stored.size(),
          Hashes.sha256(stored.get(stored.size() - 1)),
          signingKey(stateDir));
    } catch (TrailLock.Busy e) {
      throw new IOException(e.getMessage(), e);
    }
    return dir;
  }

  /** The key this state directory's ledger is signed with, if any. */
  private static SigningKey signingKey(Path stateDir) throws IOException {
    try {
      return SigningKey.fromEnvironment(stateDir);
    } catch (SigningKey.Unusable e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Whether the local lines begin with every stored line, byte for byte. */
  private static boolean coversStore(List<AuditTrail.Line> local, List<byte[]> stored) {
    if (local.size() < stored.size()) {
      return false;
    }
    for (int i = 0; i < stored.size(); i++) {
      if (!Arrays.equals(local.get(i).bytes(), stored.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Writes a file of the run whole, then moves it into place, so a reader sees old or new. */
  private static void replace(Path target, byte[] content) throws IOException {
    PrivateFiles.createDirectories(target.getParent());
    Path temporary = target.resolveSibling(target.getFileName() + ".pull");
    PrivateFiles.write(temporary, content);
    Files.move(
        temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
