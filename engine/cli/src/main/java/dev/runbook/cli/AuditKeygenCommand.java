package dev.runbook.cli;

import dev.runbook.engine.audit.SigningKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "keygen",
    description =
        "Make an Ed25519 key pair for signing trails: NAME.key (private, 0600) and NAME.pub.")
final class AuditKeygenCommand extends BaseCommand {

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "Where to write the key pair (made 0700 if missing; never the state directory).")
  Path out;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "File name without extension (default: runbook-signing).")
  String name = "runbook-signing";

  @Override
  public Integer call() throws IOException {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new UserException(ExitCodes.USAGE, "--name '" + name + "': use letters, digits, . _ -");
    }
    Path stateDir = root().stateDirectory().toAbsolutePath().normalize();
    Path dir = out.toAbsolutePath().normalize();
    if (dir.startsWith(stateDir)
        || (Files.exists(dir)
            && Files.exists(stateDir)
            && dir.toRealPath().startsWith(stateDir.toRealPath()))) {
      throw new UserException(
          ExitCodes.USAGE,
          "--out "
              + out
              + " is inside the state directory "
              + stateDir
              + "; keep the private key where the trails' writers cannot read it");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserException(ExitCodes.USAGE, "--out " + out + " is not a directory");
    }
    SigningKey.KeyFiles written;
    try {
      written = SigningKey.writePair(dir, name);
    } catch (FileAlreadyExistsException e) {
      throw new UserException(
          ExitCodes.USAGE,
          e.getFile() + " exists already; keys are never overwritten (use --name)");
    }
    Path privateFile = written.privateKey();
    Path publicFile = written.publicKey();
    out().println("private key " + privateFile + " (0600: readable by you only)");
    out().println("public key  " + publicFile);
    out().println("fingerprint " + written.fingerprint());
    out().println("Sign runs:   export " + SigningKey.ENVIRONMENT + "=" + privateFile);
    out().println("Verify them: runbook audit verify --key " + publicFile);
    return ExitCodes.OK;
  }
}
