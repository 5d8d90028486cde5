package dev.runbook.store.postgresql;

import dev.runbook.engine.store.StoreUnavailableException;
import java.io.IOException;
import java.sql.SQLException;

/** How a failed statement is told: the database out of reach is unavailable, anything else not. */
final class Sql {

  private Sql() {}

  /** SQLSTATE classes meaning the server cannot be reached or is going down: try again later. */
  static boolean unavailable(SQLException e) {
    String state = e.getSQLState();
    return state == null
        || state.startsWith("08") // connection exception
        || state.startsWith("57P") // admin shutdown, crash shutdown, cannot connect now
        || state.startsWith("53"); // insufficient resources
  }

  static IOException failure(String what, SQLException e) {
    String message = "cannot " + what + ": " + e.getMessage();
    return unavailable(e) ? new StoreUnavailableException(message, e) : new IOException(message, e);
  }
}
