//===- TuningDatabase.cpp - Kiln's autotuning database over SQLite --------===//
//
// Part of Kiln (no MLIR/LLVM dependency).
//
// Schema, version 2 (meta.schema_version, PRAGMA application_id "KILN"):
//   meta(key, value): "schema_version" -> 2.
//   measurements(id, signature, target, compiler_version, schedule, status,
//                seconds, warm_check, machine, measured_at), unique per
//                key+schedule,
//                indexed by key, status and time so that best() reads one
//                index entry.
// Every value reaches SQLite as a bound parameter of a prepared statement.
// Writes take the write lock up front (BEGIN IMMEDIATE), so that concurrent
// writers wait for each other (busy timeout) instead of failing.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/TuningDatabase.h"
#include "SQLite.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <sys/stat.h>
#include <thread>

namespace kiln::tuning {

using sqlite::Statement;
using sqlite::Transaction;

static_assert(TuningDatabase::applicationId == 1263094862,
              "update the PRAGMA application_id in schemaSql");
static_assert(TuningDatabase::schemaVersion == 2,
              "update the schema_version row in schemaSql");

/// How long a connection waits for another's write lock before failing.
static constexpr int busyTimeoutMs = 15000;

static const char *schemaSql = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value NOT NULL);
INSERT INTO meta(key, value) VALUES('schema_version', 2);
CREATE TABLE measurements(
  id INTEGER PRIMARY KEY,
  signature TEXT NOT NULL,
  target TEXT NOT NULL,
  compiler_version TEXT NOT NULL,
  schedule TEXT NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('ok', 'failed', 'wrong', 'timeout')),
  seconds REAL NOT NULL,
  warm_check TEXT NOT NULL CHECK(warm_check IN ('not-run', 'passed', 'lost')),
  machine TEXT NOT NULL,
  measured_at INTEGER NOT NULL,
  UNIQUE(signature, target, compiler_version, schedule));
CREATE INDEX measurements_by_key ON measurements(
  signature, target, compiler_version, status, seconds, measured_at);
PRAGMA application_id = 1263094862;
)sql";

/// The columns a Measurement is read from, in readRow's order.
#define KILN_COLUMNS                                                           \
  "signature, target, compiler_version, schedule, status, seconds, "          \
  "warm_check, machine, measured_at"

/// Matches a key (the first three parameters).
#define KILN_WHERE_KEY                                                         \
  "signature = ?1 AND target = ?2 AND compiler_version = ?3"

const char *statusName(MeasurementStatus status) {
  static const char *const names[] = {"ok", "failed", "wrong", "timeout"};
  auto index = static_cast<unsigned>(status);
  return index < std::size(names) ? names[index] : "unknown";
}

const char *warmCheckName(WarmCheck check) {
  static const char *const names[] = {"not-run", "passed", "lost"};
  auto index = static_cast<unsigned>(check);
  return index < std::size(names) ? names[index] : "unknown";
}

std::optional<WarmCheck> parseWarmCheck(const std::string &name) {
  for (auto check : {WarmCheck::NotRun, WarmCheck::Passed, WarmCheck::Lost})
    if (name == warmCheckName(check))
      return check;
  return std::nullopt;
}

std::optional<MeasurementStatus> parseStatus(const std::string &name) {
  for (auto status : {MeasurementStatus::Ok, MeasurementStatus::Failed,
                      MeasurementStatus::Wrong, MeasurementStatus::Timeout})
    if (name == statusName(status))
      return status;
  return std::nullopt;
}

namespace {
/// What a file holds, as far as open() is concerned.
enum class Contents { Kiln, Empty, Invalid };
} // namespace

/// Binds a key to the next three parameters.
static Statement &bindKey(Statement &s, const TuningKey &key) {
  return s.bind(key.signature).bind(key.target).bind(key.compilerVersion);
}

/// Reads the row of a statement that selected KILN_COLUMNS.
static bool readRow(const Statement &s, Measurement &m) {
  m.key.signature = s.text(0);
  m.key.target = s.text(1);
  m.key.compilerVersion = s.text(2);
  m.schedule = s.text(3);
  std::optional<MeasurementStatus> status = parseStatus(s.text(4));
  m.status = status.value_or(MeasurementStatus::Failed);
  m.seconds = s.real(5);
  std::optional<WarmCheck> warm = parseWarmCheck(s.text(6));
  m.warmCheck = warm.value_or(WarmCheck::NotRun);
  m.machine = s.text(7);
  m.measuredAt = s.integer(8);
  return status.has_value() && warm.has_value();
}

static std::string quoted(const std::string &path) { return "'" + path + "'"; }

/// "tuning database 'path': what: SQLite's message".
static std::string sqliteError(sqlite3 *db, const std::string &path,
                               const std::string &what) {
  return "tuning database " + quoted(path) + ": " + what + ": " +
         sqlite3_errmsg(db);
}

/// Runs `s` and appends the measurements it selects to `out`; false and
/// `error` ("what: why") on failure.
static bool readRows(sqlite3 *db, const std::string &path, Statement &s,
                     std::vector<Measurement> &out, const char *what,
                     std::string &error) {
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    out.emplace_back();
    if (!readRow(s, out.back())) {
      error = "tuning database " + quoted(path) + ": " + what +
              ": a measurement has an unknown status '" + s.text(4) +
              "' or warm check '" + s.text(6) + "'";
      return false;
    }
  }
  if (rc == SQLITE_DONE)
    return true;
  error = sqliteError(db, path, what);
  return false;
}

/// Classifies the file `db` is open on, setting `error` when it is not (and
/// cannot become) a Kiln tuning database this code reads.
static Contents inspect(sqlite3 *db, const std::string &path,
                        std::string &error) {
  std::string notKiln = quoted(path) + " is not a Kiln tuning database: ";
  Statement appId(db, "PRAGMA application_id");
  int rc = appId.step();
  if (rc != SQLITE_ROW) {
    error = rc == SQLITE_NOTADB ? notKiln + "it is not an SQLite database file"
                                : "cannot read tuning database " +
                                      quoted(path) + ": " + sqlite3_errmsg(db);
    return Contents::Invalid;
  }
  int64_t id = appId.integer(0);
  if (id != 0 && id != TuningDatabase::applicationId) {
    char hex[16];
    std::snprintf(hex, sizeof(hex), "0x%08llx",
                  static_cast<unsigned long long>(id & 0xffffffff));
    error = notKiln +
            "it is the SQLite database of another application "
            "(application id " +
            hex + ")";
    return Contents::Invalid;
  }
  if (id == 0) {
    Statement tables(db, "SELECT count(*) FROM sqlite_master");
    if (tables.step() != SQLITE_ROW) {
      error = "cannot read tuning database " + quoted(path) + ": " +
              sqlite3_errmsg(db);
      return Contents::Invalid;
    }
    if (tables.integer(0) == 0)
      return Contents::Empty;
    error = notKiln + "it is an SQLite database without Kiln's tables";
    return Contents::Invalid;
  }

  Statement version(db, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (version.step() != SQLITE_ROW || version.type(0) != SQLITE_INTEGER ||
      version.integer(0) < 1) {
    error = quoted(path) + " is a damaged Kiln tuning database: its schema "
                           "version is missing or invalid";
    return Contents::Invalid;
  }
  if (int64_t v = version.integer(0); v < TuningDatabase::schemaVersion) {
    error = quoted(path) + " was written by an older Kiln (schema version " +
            std::to_string(v) + "): its times of schedules that lost " +
            "kiln-tune's warm check are the heuristic's, not what was " +
            "measured, and code generation has changed since; tune again " +
            "into a new database";
    return Contents::Invalid;
  }
  if (int64_t v = version.integer(0); v != TuningDatabase::schemaVersion) {
    error = quoted(path) + " was written by a newer Kiln: its schema version " +
            std::to_string(v) + " is newer than version " +
            std::to_string(TuningDatabase::schemaVersion) +
            ", which this Kiln reads";
    return Contents::Invalid;
  }
  return Contents::Kiln;
}

/// The SQLite URI that opens `path` read-only as immutable.
static std::string immutableUri(const std::string &path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X",
                    static_cast<unsigned char>(c));
      uri += escaped;
    } else {
      uri += c;
    }
  }
  return uri + "?immutable=1";
}

/// Switches `db` to WAL journal mode, false and `error` when it cannot.
static bool useWal(sqlite3 *db, const std::string &path, std::string &error) {
  // While another process switches a new file to WAL, SQLite can report it
  // busy without waiting for the busy timeout: wait here.
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(busyTimeoutMs);
  for (;;) {
    Statement wal(db, "PRAGMA journal_mode = WAL");
    int rc = wal.step();
    if (rc == SQLITE_ROW && wal.text(0) == "wal")
      return true;
    if (rc == SQLITE_ROW) {
      error = "tuning database " + quoted(path) +
              ": the file system does not support SQLite's WAL journal mode, "
              "needed by concurrent writers";
      return false;
    }
    if ((rc & 0xff) != SQLITE_BUSY ||
        std::chrono::steady_clock::now() > deadline) {
      error = sqliteError(db, path, "cannot switch to WAL journal mode");
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

//===----------------------------------------------------------------------===//
// TuningDatabase
//===----------------------------------------------------------------------===//

std::unique_ptr<TuningDatabase> TuningDatabase::open(const std::string &path,
                                                     bool readOnly,
                                                     std::string &error) {
  error.clear();
  if (path.empty() || path.find('\0') != std::string::npos) {
    error = "invalid tuning database path " + quoted(path);
    return nullptr;
  }
  struct stat info;
  if (readOnly && ::stat(path.c_str(), &info) != 0 && errno == ENOENT) {
    error = "no such tuning database: " + quoted(path);
    return nullptr;
  }

  sqlite3 *raw = nullptr;
  int flags = readOnly ? SQLITE_OPEN_READONLY
                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // The object owns the connection from here on, even a failed one.
  std::unique_ptr<TuningDatabase> result(
      new TuningDatabase(raw, path, readOnly));
  if (rc != SQLITE_OK) {
    error = "cannot open tuning database " + quoted(path) + ": " +
            (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    return nullptr;
  }
  sqlite3_busy_timeout(raw, busyTimeoutMs);

  // Look before writing anything: another application's file stays as it is.
  Contents contents = inspect(raw, path, error);
  if (contents == Contents::Invalid && readOnly &&
      (sqlite3_errcode(raw) & 0xff) == SQLITE_READONLY) {
    // A WAL database needs its -shm file even to be read; where the user
    // may write neither the file nor its directory, SQLite cannot make one
    // ("attempt to write a readonly database"). Such a file cannot change
    // under us: read it as immutable, without locks or the -shm file.
    raw = nullptr;
    rc = sqlite3_open_v2(immutableUri(path).c_str(), &raw,
                         SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    // (Closes the first connection.)
    result.reset(new TuningDatabase(raw, path, readOnly));
    if (rc != SQLITE_OK) {
      error = "cannot open tuning database " + quoted(path) + ": " +
              (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
      return nullptr;
    }
    error.clear();
    contents = inspect(raw, path, error);
  }
  if (contents == Contents::Invalid)
    return nullptr;
  if (readOnly) {
    if (contents == Contents::Empty) {
      error = quoted(path) + " is not a Kiln tuning database: it is empty";
      return nullptr;
    }
    return result;
  }

  // WAL lets readers run beside a writer and writers queue on one lock.
  if (!useWal(raw, path, error))
    return nullptr;

  if (contents == Contents::Empty) {
    // Another process may be creating the schema too: look again under the
    // write lock.
    Transaction transaction(raw);
    if (!transaction.began()) {
      result->fail("cannot lock for writing", error);
      return nullptr;
    }
    contents = inspect(raw, path, error);
    if (contents == Contents::Invalid)
      return nullptr;
    if (contents == Contents::Empty &&
        sqlite3_exec(raw, schemaSql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      result->fail("cannot create the schema", error);
      return nullptr;
    }
    if (!transaction.commit()) {
      result->fail("cannot create the schema", error);
      return nullptr;
    }
  }
  return result;
}

TuningDatabase::~TuningDatabase() { sqlite3_close_v2(db); }

bool TuningDatabase::fail(const std::string &what, std::string &error) const {
  error = sqliteError(db, filePath, what);
  return false;
}

bool TuningDatabase::checkWritable(std::string &error) const {
  if (!readOnly)
    return true;
  error = "tuning database " + quoted(filePath) + " is open read-only";
  return false;
}

bool TuningDatabase::upsert(const Measurement &m, std::string &error) {
  Statement s(db, "INSERT INTO measurements(" KILN_COLUMNS ") "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                  "ON CONFLICT(signature, target, compiler_version, schedule) "
                  "DO UPDATE SET status = excluded.status, "
                  "seconds = excluded.seconds, "
                  "warm_check = excluded.warm_check, "
                  "machine = excluded.machine, "
                  "measured_at = excluded.measured_at");
  bindKey(s, m.key).bind(m.schedule).bind(std::string(statusName(m.status)));
  s.bind(m.seconds).bind(std::string(warmCheckName(m.warmCheck)));
  s.bind(m.machine).bind(m.measuredAt);
  return s.step() == SQLITE_DONE || fail("cannot record a measurement", error);
}

bool TuningDatabase::record(const Measurement &m, std::string &error) {
  error.clear();
  if (!checkWritable(error))
    return false;
  std::string invalid;
  if (m.key.signature.empty())
    invalid = "its signature is empty";
  else if (!parseStatus(statusName(m.status)))
    invalid = "its status is invalid";
  else if (!parseWarmCheck(warmCheckName(m.warmCheck)))
    invalid = "its warm check is invalid";
  else if (!std::isfinite(m.seconds) || m.seconds < 0)
    invalid = "its time is not a finite, non-negative number of seconds";
  if (!invalid.empty()) {
    error = "cannot record a measurement of '" + m.key.signature +
            "' in tuning database " + quoted(filePath) + ": " + invalid;
    return false;
  }
  Transaction transaction(db);
  if (!transaction.began())
    return fail("cannot lock for writing", error);
  if (!upsert(m, error))
    return false;
  return transaction.commit() || fail("cannot commit a measurement", error);
}

/// The first measurement `s` selects, if any.
static std::optional<Measurement> first(sqlite3 *db, const std::string &path,
                                        Statement &s, const char *what,
                                        std::string &error) {
  std::vector<Measurement> rows;
  if (!readRows(db, path, s, rows, what, error) || rows.empty())
    return std::nullopt;
  return rows.front();
}

std::optional<Measurement> TuningDatabase::find(const TuningKey &key,
                                                const std::string &schedule,
                                                std::string &error) {
  error.clear();
  Statement s(db,
              "SELECT " KILN_COLUMNS " FROM measurements WHERE " KILN_WHERE_KEY
              " AND schedule = ?4");
  bindKey(s, key).bind(schedule);
  return first(db, filePath, s, "cannot look up a measurement", error);
}

std::optional<Measurement> TuningDatabase::best(const TuningKey &key,
                                                std::string &error) {
  error.clear();
  Statement s(db,
              "SELECT " KILN_COLUMNS " FROM measurements WHERE " KILN_WHERE_KEY
              " AND status = 'ok' AND warm_check <> 'lost' "
              "ORDER BY seconds, measured_at, id LIMIT 1");
  bindKey(s, key);
  return first(db, filePath, s, "cannot look up the best measurement", error);
}

std::vector<Measurement> TuningDatabase::measurements(const TuningKey &key,
                                                      std::string &error) {
  error.clear();
  Statement s(db,
              "SELECT " KILN_COLUMNS " FROM measurements WHERE " KILN_WHERE_KEY
              " ORDER BY status <> 'ok', "
              "CASE WHEN status = 'ok' THEN seconds END, measured_at, id");
  bindKey(s, key);
  std::vector<Measurement> rows;
  if (!readRows(db, filePath, s, rows, "cannot list measurements", error))
    rows.clear();
  return rows;
}

std::vector<Measurement> TuningDatabase::bestOfAll(std::string &error) {
  error.clear();
  Statement s(db, "SELECT " KILN_COLUMNS " FROM (SELECT *, row_number() OVER "
                  "(PARTITION BY signature, target, compiler_version "
                  "ORDER BY seconds, measured_at, id) AS position "
                  "FROM measurements WHERE status = 'ok' AND "
                  "warm_check <> 'lost') WHERE position = 1 "
                  "ORDER BY signature, target, compiler_version");
  std::vector<Measurement> rows;
  if (!readRows(db, filePath, s, rows, "cannot list the best measurements",
                error))
    rows.clear();
  return rows;
}

/// Whether merge() replaces `existing` with `incoming`.
static bool mergeReplaces(const Measurement &incoming,
                          const Measurement &existing) {
  bool incomingOk = incoming.status == MeasurementStatus::Ok;
  if (incomingOk != (existing.status == MeasurementStatus::Ok))
    return incomingOk;
  bool incomingLost = incoming.warmCheck == WarmCheck::Lost;
  if (incomingOk && incomingLost != (existing.warmCheck == WarmCheck::Lost))
    return !incomingLost;
  if (incomingOk)
    return incoming.seconds < existing.seconds;
  return incoming.measuredAt > existing.measuredAt;
}

int64_t TuningDatabase::merge(const std::string &otherPath,
                              std::string &error) {
  error.clear();
  if (!checkWritable(error))
    return -1;
  std::vector<Measurement> incoming;
  {
    std::unique_ptr<TuningDatabase> other = open(otherPath, true, error);
    if (!other)
      return -1;
    Statement s(other->db, "SELECT " KILN_COLUMNS " FROM measurements");
    if (!readRows(other->db, otherPath, s, incoming, "cannot read measurements",
                  error))
      return -1;
  }

  Transaction transaction(db);
  if (!transaction.began()) {
    fail("cannot lock for writing", error);
    return -1;
  }
  int64_t changed = 0;
  for (const Measurement &m : incoming) {
    std::optional<Measurement> existing = find(m.key, m.schedule, error);
    if (!error.empty())
      return -1;
    if (existing && !mergeReplaces(m, *existing))
      continue;
    if (!upsert(m, error))
      return -1;
    ++changed;
  }
  if (!transaction.commit()) {
    fail("cannot commit the merge", error);
    return -1;
  }
  return changed;
}

} // namespace kiln::tuning
