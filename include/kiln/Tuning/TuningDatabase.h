//===- TuningDatabase.h - Kiln's autotuning database ------------*- C++ -*-===//
//
// Part of Kiln. Where the autotuner keeps what it measured: one SQLite file
// holding, for each tuning problem (an op instance on a target with a
// compiler version) and each candidate schedule, how the candidate fared.
// Several tuner processes may write one file at once (WAL journal, waits of
// up to 15 s for the write lock), and each record() is committed on its own,
// so an interrupted run resumes where it stopped. No MLIR or LLVM
// dependency: schedules are stored as opaque text (an MLIR attribute).
//
// One TuningDatabase object is one SQLite connection: use it from one thread
// at a time (open one per thread or process to write in parallel).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_TUNINGDATABASE_H
#define KILN_TUNING_TUNINGDATABASE_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace kiln::tuning {

/// How one candidate schedule fared.
enum class MeasurementStatus {
  /// Compiled, ran and gave the reference outputs; `seconds` is its time.
  Ok,
  /// Did not compile or crashed.
  Failed,
  /// Outputs differ from the reference.
  Wrong,
  /// Exceeded the time limit.
  Timeout,
};

/// "ok", "failed", "wrong" or "timeout" (how the database stores it).
const char *statusName(MeasurementStatus status);
/// The status named `name` by statusName, if any.
std::optional<MeasurementStatus> parseStatus(const std::string &name);

/// Whether a schedule measured faster than the heuristic's in kiln-tune's
/// regime (inputs out of the caches) stayed faster with warm inputs, as a
/// model runs it. A schedule that lost is kept with the time it measured,
/// but is never best().
enum class WarmCheck { NotRun, Passed, Lost };

/// "not-run", "passed" or "lost" (how the database stores it).
const char *warmCheckName(WarmCheck check);
/// The warm check named `name` by warmCheckName, if any.
std::optional<WarmCheck> parseWarmCheck(const std::string &name);

/// What identifies a tuning problem: the same op on the same target with the
/// same compiler. Keys that differ in any field are separate problems.
struct TuningKey {
  /// Canonical text of the op instance, e.g.
  /// "linalg.matmul 512x256x128 f32,f32->f32". Never empty.
  std::string signature;
  /// e.g. "x86_64-linux-gnu cpu=znver2 features=..." (opaque here).
  std::string target;
  /// e.g. "kiln 0.1.0 llvm 22.1.0" (opaque here).
  std::string compilerVersion;
};

/// One measurement of one candidate schedule.
struct Measurement {
  TuningKey key;
  /// The schedule as text (an MLIR attribute; opaque here).
  std::string schedule;
  MeasurementStatus status = MeasurementStatus::Ok;
  /// Median time per run when status is Ok; finite and not negative.
  double seconds = 0;
  /// The warm-input check of a finalist (NotRun for the others).
  WarmCheck warmCheck = WarmCheck::NotRun;
  /// Where it was measured (host name + CPU model; opaque here).
  std::string machine;
  /// When it was measured: unix time, seconds.
  int64_t measuredAt = 0;
};

/// A tuning database file. Every method that can fail takes an `error`
/// string: it is cleared on entry and, on failure, set to a message naming
/// the file. Methods returning std::optional return nullopt both when there
/// is no such measurement (`error` empty) and on failure (`error` set).
class TuningDatabase {
public:
  /// Opens the database at `path`, creating the file and its schema when
  /// missing or empty unless `readOnly`. Null and `error` set on failure: the
  /// message names the file and says what is wrong (no such file, not an
  /// SQLite file, an SQLite file that is not a Kiln tuning database, a newer
  /// schema version, unreadable, ...).
  static std::unique_ptr<TuningDatabase>
  open(const std::string &path, bool readOnly, std::string &error);
  ~TuningDatabase();
  TuningDatabase(const TuningDatabase &) = delete;
  TuningDatabase &operator=(const TuningDatabase &) = delete;

  /// The version of the schema this code reads and writes.
  /// (2: the warm check has a column of its own. Version 1 files are
  /// refused: they stored a lost warm check as the heuristic's time, and
  /// their compiler key has no code generation version.)
  static constexpr int64_t schemaVersion = 2;
  /// SQLite's application id of a Kiln tuning database ("KILN").
  static constexpr int32_t applicationId = 0x4B494C4E;

  const std::string &path() const { return filePath; }

  /// Records `m` in a transaction of its own, committed before returning.
  /// There is one row per key+schedule: a new measurement of the same
  /// key+schedule replaces the old one. False and `error` on failure
  /// (including a read-only database or an invalid measurement).
  bool record(const Measurement &m, std::string &error);

  /// The measurement of `schedule` for `key`, if there is one (what a resumed
  /// tuning run skips).
  std::optional<Measurement>
  find(const TuningKey &key, const std::string &schedule, std::string &error);

  /// The fastest Ok measurement for `key` (ties: the earliest measured), if
  /// any. Failed, Wrong and Timeout measurements are never best, nor are
  /// those that lost their warm check.
  std::optional<Measurement> best(const TuningKey &key, std::string &error);

  /// Every measurement for `key`: the Ok ones fastest first, then the others
  /// in the order they were measured.
  std::vector<Measurement> measurements(const TuningKey &key,
                                        std::string &error);

  /// The best measurement (as best()) of every key that has one, sorted by
  /// signature
  /// (then target and compiler version).
  std::vector<Measurement> bestOfAll(std::string &error);

  /// Adds every measurement of the database at `otherPath` that this one
  /// lacks, in one transaction. For a key+schedule in both, keeps the faster
  /// Ok one; an Ok one wins over one that is not Ok, one that did not lose
  /// its warm check over one that did; of two that are not Ok, the more
  /// recently measured. Returns the number of rows added or
  /// changed; -1 and `error` on failure (this database then is unchanged).
  int64_t merge(const std::string &otherPath, std::string &error);

private:
  TuningDatabase(sqlite3 *connection, std::string path, bool isReadOnly)
      : db(connection), filePath(std::move(path)), readOnly(isReadOnly) {}

  /// Upserts `m` inside the caller's transaction.
  bool upsert(const Measurement &m, std::string &error);
  /// Fails with a message when the database was opened read-only.
  bool checkWritable(std::string &error) const;
  /// `what` failed: sets `error` to it, the file and SQLite's message.
  bool fail(const std::string &what, std::string &error) const;

  sqlite3 *db;
  std::string filePath;
  bool readOnly;
};

} // namespace kiln::tuning

#endif // KILN_TUNING_TUNINGDATABASE_H
