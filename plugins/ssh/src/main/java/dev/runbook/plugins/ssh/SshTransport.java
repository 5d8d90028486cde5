package dev.runbook.plugins.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import dev.runbook.api.CommandResult;
import dev.runbook.api.CommandSpec;
import dev.runbook.api.FailureKind;
import dev.runbook.api.OutputSink;
import dev.runbook.api.Transport;
import dev.runbook.api.TransportException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One SSH session to one host, shared by every step that runs there: each command is a channel on
 * it (sshd's MaxSessions allows many at once), files go over SFTP.
 */
final class SshTransport implements Transport {

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  private static final int CHANNEL_CONNECT_MS = 10_000;

  private final Session session;
  private final SshEndpoint endpoint;
  private final SshTransport jump;

  /**
   * @param jump the jump host's transport this one connects through, closed with it; or null
   */
  SshTransport(Session session, SshEndpoint endpoint, SshTransport jump) {
    this.session = session;
    this.endpoint = endpoint;
    this.jump = jump;
  }

  /** Forwards a free loopback port on this machine, through this host, to {@code host:port}. */
  int forward(String host, int port) throws TransportException {
    try {
      return session.setPortForwardingL("127.0.0.1", 0, host, port);
    } catch (JSchException e) {
      throw new TransportException(
          FailureKind.CONNECT,
          "cannot forward through " + endpoint.describe() + " to " + host + ":" + port,
          e);
    }
  }

  @Override
  public String describe() {
    return endpoint.describe();
  }

  @Override
  public CommandResult run(CommandSpec command, OutputSink sink, Duration timeout)
      throws TransportException, InterruptedException {
    long start = System.nanoTime();
    ChannelExec channel = openExec(RemoteCommand.build(command, endpoint.become()));
    // The environment goes in on stdin, then stdin ends: commands never wait on it.
    channel.setInputStream(
        new ByteArrayInputStream(RemoteCommand.environmentInput(command.environment())));
    AtomicLong remotePid = new AtomicLong(-1);
    StreamLines out;
    StreamLines err;
    try {
      out =
          new StreamLines(
              channel.getInputStream(),
              line -> {
                sink.stdout(line);
                return true;
              });
      err =
          new StreamLines(
              channel.getErrStream(),
              line -> {
                if (remotePid.get() < 0) {
                  long pid = RemoteCommand.pid(line);
                  if (pid > 0) {
                    remotePid.set(pid); // our own marker: neither shown nor kept
                    return false;
                  }
                }
                sink.stderr(line);
                return true;
              });
      channel.connect(CHANNEL_CONNECT_MS);
    } catch (IOException | JSchException e) {
      channel.disconnect();
      throw SshFailures.lost(endpoint, "starting a command", e);
    }
    Thread outReader = reader(out, "ssh-out");
    Thread errReader = reader(err, "ssh-err");
    try {
      boolean done = join(outReader, errReader, timeout);
      if (!done) {
        stopRemote(remotePid.get());
        channel.disconnect();
        throw new TransportException(
            FailureKind.TIMEOUT,
            "still running on "
                + endpoint.describe()
                + " after "
                + (timeout.toMillis() % 1000 == 0
                    ? timeout.toSeconds() + " s"
                    : timeout.toMillis() + " ms")
                + "; stopped it there (process group "
                + remotePid.get()
                + ")");
      }
      waitClosed(channel);
      int status = channel.getExitStatus();
      if (!channel.isClosed()
          || status < 0
          || out.failure() != null
          || err.failure() != null
          || !session.isConnected()) {
        throw SshFailures.lost(
            endpoint,
            "running a command (no exit status came back)",
            out.failure() != null ? out.failure() : err.failure());
      }
      return new CommandResult(
          status,
          out.text(),
          err.text(),
          out.truncated() || err.truncated(),
          Duration.ofNanos(System.nanoTime() - start));
    } catch (InterruptedException e) {
      stopRemote(remotePid.get());
      throw e;
    } finally {
      channel.disconnect();
    }
  }

  private static Thread reader(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static boolean join(Thread a, Thread b, Duration timeout) throws InterruptedException {
    if (timeout == null) {
      a.join();
      b.join();
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    a.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    b.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    return !a.isAlive() && !b.isAlive();
  }

  /** The streams end just before the channel closes; the exit status arrives with the close. */
  private static void waitClosed(ChannelExec channel) throws InterruptedException {
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    while (!channel.isClosed() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  /** Kills the command's whole process group on the remote side, over a fresh channel. */
  private void stopRemote(long pid) {
    if (pid <= 0 || !session.isConnected()) {
      return;
    }
    try {
      ChannelExec kill = openExec(RemoteCommand.kill(pid));
      kill.connect(CHANNEL_CONNECT_MS);
      waitClosed(kill);
      kill.disconnect();
    } catch (JSchException | TransportException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // best effort: the channel is closed below either way
    }
  }

  private ChannelExec openExec(String command) throws TransportException {
    try {
      ChannelExec channel = (ChannelExec) session.openChannel("exec");
      channel.setCommand(command);
      channel.setInputStream(null);
      return channel;
    } catch (JSchException e) {
      throw SshFailures.lost(endpoint, "opening a channel", e);
    }
  }

  @Override
  public byte[] readFile(String path) throws TransportException {
    ChannelSftp sftp = sftp();
    try (InputStream in = sftp.get(path)) {
      return in.readAllBytes();
    } catch (SftpException e) {
      throw sftpFailure(e, "read", path);
    } catch (IOException e) {
      throw SshFailures.lost(endpoint, "reading " + path, e);
    } finally {
      sftp.disconnect();
    }
  }

  /**
   * Writes the file through a directory only the login user can enter: SFTP creates a file with the
   * server's default mode (0644 under the usual umask), so a private key written straight to its
   * name, or to a temporary file beside it, could be read by anyone on the host before its mode was
   * set. Inside a 0700 directory nobody else can open it; it gets its mode there, then moves into
   * place.
   */
  @Override
  public void writeFile(String path, byte[] content, int mode) throws TransportException {
    ChannelSftp sftp = sftp();
    int slash = path.lastIndexOf('/');
    String parent = slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
    String name = path.substring(slash + 1);
    String privateDir =
        (parent.endsWith("/") ? parent : parent + "/")
            + ".runbook-"
            + Long.toHexString(System.nanoTime())
            + Long.toHexString(Double.doubleToLongBits(Math.random()));
    String temp = privateDir + "/" + name;
    boolean made = false;
    try {
      sftp.mkdir(privateDir);
      made = true;
      sftp.chmod(0700, privateDir);
      if ((sftp.stat(privateDir).getPermissions() & 0077) != 0) {
        throw new TransportException(
            FailureKind.FORBIDDEN,
            "cannot make a private directory beside " + path + " on " + endpoint.describe());
      }
      sftp.put(new ByteArrayInputStream(content), temp);
      sftp.chmod(mode, temp);
      sftp.rename(temp, path);
    } catch (SftpException e) {
      throw sftpFailure(e, "write", path);
    } finally {
      if (made) {
        try {
          sftp.rm(temp);
        } catch (SftpException ignored) {
          // moved into place, or never written
        }
        try {
          sftp.rmdir(privateDir);
        } catch (SftpException ignored) {
          // best effort: an empty private directory is harmless
        }
      }
      sftp.disconnect();
    }
  }

  private ChannelSftp sftp() throws TransportException {
    try {
      ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
      sftp.connect(CHANNEL_CONNECT_MS);
      return sftp;
    } catch (JSchException e) {
      throw SshFailures.lost(endpoint, "opening SFTP", e);
    }
  }

  private TransportException sftpFailure(SftpException e, String doing, String path) {
    return switch (e.id) {
      case ChannelSftp.SSH_FX_NO_SUCH_FILE ->
          new TransportException(
              FailureKind.NOT_FOUND, "no file " + path + " on " + endpoint.describe(), e);
      case ChannelSftp.SSH_FX_PERMISSION_DENIED ->
          new TransportException(
              FailureKind.FORBIDDEN,
              "permission denied to " + doing + " " + path + " on " + endpoint.describe(),
              e);
      default ->
          new TransportException(
              FailureKind.PLUGIN_ERROR,
              "cannot "
                  + doing
                  + " "
                  + path
                  + " on "
                  + endpoint.describe()
                  + " (SFTP status "
                  + e.id
                  + ")",
              e);
    };
  }

  @Override
  public void close() {
    session.disconnect();
    if (jump != null) {
      jump.close();
    }
  }
}
