package dev.runbook.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

  @TempDir Path temp;

  @Test
  void directoriesItCreatesAre0700AndExistingOnesAreLeftAlone() throws IOException {
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    PrivateFiles.createDirectories(temp.resolve("state/runs/x"));
    assertThat(mode(temp.resolve("state"))).isEqualTo("rwx------");
    assertThat(mode(temp.resolve("state/runs"))).isEqualTo("rwx------");
    assertThat(mode(temp.resolve("state/runs/x"))).isEqualTo("rwx------");
    assertThat(mode(temp)).isEqualTo("rwxr-xr-x");
  }

  @Test
  void filesItCreatesAre0600() throws IOException {
    try (FileChannel channel =
        PrivateFiles.open(
            temp.resolve("events.jsonl"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(mode(temp.resolve("events.jsonl"))).isEqualTo("rw-------");
    PrivateFiles.write(temp.resolve("head"), "y".getBytes(StandardCharsets.UTF_8));
    assertThat(mode(temp.resolve("head"))).isEqualTo("rw-------");
  }

  @Test
  void aPlantedSymbolicLinkIsNotWrittenThrough() throws IOException {
    Path victim = Files.writeString(temp.resolve("victim"), "keep me");
    Path link = Files.createSymbolicLink(temp.resolve("x.lock"), victim);
    assertThatThrownBy(
            () ->
                PrivateFiles.open(
                    link,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING))
        .isInstanceOf(IOException.class);
    assertThat(Files.readString(victim)).isEqualTo("keep me");
  }

  @Test
  void aFileWhereADirectoryBelongsIsNamed() throws IOException {
    Path file = Files.writeString(temp.resolve("state"), "");
    assertThatThrownBy(() -> PrivateFiles.createDirectories(file.resolve("runs")))
        .isInstanceOf(NotDirectoryException.class)
        .hasMessageContaining(file.toString());
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
