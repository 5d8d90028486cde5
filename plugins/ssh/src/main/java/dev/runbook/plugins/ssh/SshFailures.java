package dev.runbook.plugins.ssh;

import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import dev.runbook.api.FailureKind;
import dev.runbook.api.TransportException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Turns JSch's exceptions into typed failures, by exception class and cause, never by message text.
 * JSch has no class for "authentication failed", so that one is decided by state: the host key had
 * been checked and accepted, and no I/O error caused the failure.
 */
final class SshFailures {

  private SshFailures() {}

  static TransportException connect(JSchException e, SshEndpoint endpoint, CheckingHostKeys keys) {
    String where = endpoint.describe();
    if (e instanceof JSchUnknownHostKeyException) {
      return new TransportException(
          FailureKind.HOST_KEY,
          "the host key of "
              + where
              + " is not in "
              + keys.file()
              + " ("
              + keys.presentedFingerprint()
              + "). Check that fingerprint with the host's owner, then trust it: ssh-keyscan -p "
              + endpoint.port()
              + " "
              + endpoint.host()
              + " >> "
              + keys.file()
              + " (or set RUNBOOK_SSH_STRICT_HOST_KEYS=accept-new to add new hosts' keys automatically)",
          e);
    }
    if (e instanceof JSchChangedHostKeyException) {
      return new TransportException(
          FailureKind.HOST_KEY,
          "THE HOST KEY OF "
              + where
              + " HAS CHANGED (it now presents "
              + keys.presentedFingerprint()
              + "). Someone may be intercepting the connection, or the host was reinstalled. Refusing to connect."
              + " If the change is expected, remove the old key (ssh-keygen -R '"
              + endpoint.knownHostsName()
              + "' -f "
              + keys.file()
              + ") and trust the new one",
          e);
    }
    if (e instanceof JSchHostKeyException) {
      return new TransportException(
          FailureKind.HOST_KEY, "the host key of " + where + " was refused: " + e.getMessage(), e);
    }
    Throwable cause = e.getCause();
    if (cause instanceof ConnectException) {
      return new TransportException(
          FailureKind.CONNECT, "connection to " + where + " refused (is sshd running there?)", e);
    }
    if (cause instanceof SocketTimeoutException) {
      return new TransportException(
          FailureKind.CONNECT, "no answer from " + where + " within the connect timeout", e);
    }
    // Decided by state, like authentication below: no socket error, yet the server never got as far
    // as presenting its host key, so the key exchange did not finish within the connect timeout.
    if (cause == null && keys.presentedFingerprint() == null) {
      return new TransportException(
          FailureKind.CONNECT,
          where
              + " accepted the connection but the key exchange did not finish within the connect"
              + " timeout (an overloaded host? RUNBOOK_SSH_CONNECT_TIMEOUT gives it longer)",
          e);
    }
    if (cause instanceof UnknownHostException) {
      return new TransportException(FailureKind.CONNECT, "unknown host " + endpoint.host(), e);
    }
    if (cause instanceof NoRouteToHostException || cause instanceof IOException) {
      return new TransportException(FailureKind.CONNECT, "cannot reach " + where + ": " + cause, e);
    }
    if (keys.accepted() && cause == null) {
      return new TransportException(
          FailureKind.AUTH,
          where
              + " refused the key(s) of user "
              + endpoint.user()
              + " (tried: "
              + endpoint.identityNames()
              + "); check the user, the key, and the host's authorized_keys",
          e);
    }
    return new TransportException(
        FailureKind.CONNECT, "cannot connect to " + where + ": " + e.getMessage(), e);
  }

  static TransportException lost(SshEndpoint endpoint, String doing, Exception e) {
    return new TransportException(
        FailureKind.CONNECTION_LOST,
        "lost the connection to " + endpoint.describe() + " while " + doing,
        e);
  }
}
