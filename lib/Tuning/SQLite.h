//===- SQLite.h - small RAII wrappers of SQLite's C API ---------*- C++ -*-===//
//
// Part of Kiln (no MLIR/LLVM dependency). Private to lib/Tuning: a prepared
// statement whose values are always bound parameters, and a write
// transaction that rolls back unless committed.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_TUNING_SQLITE_H
#define KILN_LIB_TUNING_SQLITE_H

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace kiln::tuning::sqlite {

/// A prepared statement whose parameters are bound in order. A failure to
/// prepare or bind is reported by the next step() (and sqlite3_errmsg).
class Statement {
public:
  Statement(sqlite3 *db, const char *sql) {
    rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt); }
  Statement(const Statement &) = delete;
  Statement &operator=(const Statement &) = delete;

  Statement &bind(const std::string &text) {
    if (rc == SQLITE_OK)
      rc = sqlite3_bind_text64(stmt, ++index, text.data(), text.size(),
                               SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
  }
  Statement &bind(double value) {
    if (rc == SQLITE_OK)
      rc = sqlite3_bind_double(stmt, ++index, value);
    return *this;
  }
  Statement &bind(int64_t value) {
    if (rc == SQLITE_OK)
      rc = sqlite3_bind_int64(stmt, ++index, value);
    return *this;
  }

  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return rc == SQLITE_OK ? sqlite3_step(stmt) : rc; }

  /// The columns of the current row.
  std::string text(int column) const {
    // sqlite3_column_text before sqlite3_column_bytes, as SQLite advises.
    auto *p = reinterpret_cast<const char *>(sqlite3_column_text(stmt, column));
    return p ? std::string(
                   p, static_cast<size_t>(sqlite3_column_bytes(stmt, column)))
             : "";
  }
  double real(int column) const { return sqlite3_column_double(stmt, column); }
  int64_t integer(int column) const {
    return sqlite3_column_int64(stmt, column);
  }
  int type(int column) const { return sqlite3_column_type(stmt, column); }

private:
  sqlite3_stmt *stmt = nullptr;
  int rc = SQLITE_OK;
  int index = 0;
};

/// A write transaction, rolled back unless committed. BEGIN IMMEDIATE takes
/// the write lock up front, waiting (busy timeout) while another connection
/// holds it: a deferred transaction that later needs the lock can fail at
/// once instead.
class Transaction {
public:
  explicit Transaction(sqlite3 *connection) : db(connection) {
    active = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) ==
             SQLITE_OK;
  }
  ~Transaction() {
    if (active)
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction &) = delete;
  Transaction &operator=(const Transaction &) = delete;

  bool began() const { return active; }
  bool commit() {
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
      return false;
    active = false;
    return true;
  }

private:
  sqlite3 *db;
  bool active;
};

} // namespace kiln::tuning::sqlite

#endif // KILN_LIB_TUNING_SQLITE_H
