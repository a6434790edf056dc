//===- tuning-db.cpp - checks of the autotuning database ------------------===//
//
// Part of Kiln. Usage: kiln-test-tuning-db DIR (an empty directory for its
// files). Prints one line per check, "ok: ..." or "FAIL: ...", the error
// messages it provokes ("error: ..."), and exits non-zero if any check
// failed (tuning-db.test runs it).
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/TuningDatabase.h"

#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

using namespace kiln::tuning;

static int failures = 0;

static void check(bool ok, const std::string &what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
  failures += !ok;
}

static bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

/// Prints an expected error message, for the lit test to check.
static void show(const std::string &error) {
  std::printf("error: %s\n", error.c_str());
}

static const TuningKey matmul{"linalg.matmul 512x256x128 f32,f32->f32",
                              "x86_64 cpu=znver2", "kiln 0.1.0 llvm 22"};

static Measurement make(const TuningKey &key, const std::string &schedule,
                        MeasurementStatus status, double seconds, int64_t at) {
  Measurement m;
  m.key = key;
  m.schedule = schedule;
  m.status = status;
  m.seconds = seconds;
  m.machine = "host cpu";
  m.measuredAt = at;
  return m;
}

static std::string schedules(const std::vector<Measurement> &ms) {
  std::string result;
  for (const Measurement &m : ms)
    result += (result.empty() ? "" : ",") + m.schedule;
  return result;
}

static std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Runs SQL on a plain SQLite file (another application's database).
static bool writeForeign(const std::string &path, const char *sql) {
  sqlite3 *db = nullptr;
  bool ok = sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
            sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

static void checkBasics(const std::string &path) {
  std::string error;
  auto db = TuningDatabase::open(path, false, error);
  check(db && error.empty(), "a missing database is created");
  if (!db)
    return;
  using S = MeasurementStatus;
  check(db->record(make(matmul, "a", S::Ok, 3.0, 100), error) &&
            db->record(make(matmul, "b", S::Ok, 1.0, 101), error) &&
            db->record(make(matmul, "c", S::Ok, 2.0, 102), error) &&
            db->record(make(matmul, "d", S::Ok, 1.0, 90), error),
        "record Ok measurements");
  // Not Ok, faster than any Ok one: never best.
  check(db->record(make(matmul, "f", S::Failed, 0, 103), error) &&
            db->record(make(matmul, "w", S::Wrong, 0.1, 104), error) &&
            db->record(make(matmul, "t", S::Timeout, 0.2, 99), error),
        "record failed, wrong and timeout measurements");

  std::optional<Measurement> m = db->find(matmul, "c", error);
  check(m && m->schedule == "c" && m->seconds == 2.0 && m->measuredAt == 102 &&
            m->machine == "host cpu" && m->key.target == matmul.target &&
            m->status == S::Ok,
        "find returns the recorded measurement");
  check(!db->find(matmul, "zz", error) && error.empty(),
        "find of an unmeasured schedule is empty, without error");
  m = db->best(matmul, error);
  check(m && m->schedule == "d", "best: fastest Ok, ties to the earliest");
  check(schedules(db->measurements(matmul, error)) == "d,b,c,a,t,f,w",
        "measurements: Ok fastest first, then the others as measured");

  // Replacement of the same key+schedule.
  check(db->record(make(matmul, "d", S::Wrong, 0.5, 120), error),
        "record a new measurement of d");
  std::vector<Measurement> all = db->measurements(matmul, error);
  check(all.size() == 7 && schedules(all) == "b,c,a,t,f,w,d",
        "the new measurement of d replaces the old one");
  m = db->best(matmul, error);
  check(m && m->schedule == "b", "a schedule now wrong is no longer best");
  m = db->find(matmul, "d", error);
  check(m && m->status == S::Wrong && m->measuredAt == 120,
        "find returns the replacement");

  // Keys that differ only in target or compiler version are separate.
  TuningKey otherTarget = matmul, otherCompiler = matmul;
  otherTarget.target = "aarch64 cpu=neoverse-v1";
  otherCompiler.compilerVersion = "kiln 0.2.0 llvm 22";
  check(!db->best(otherTarget, error) && !db->best(otherCompiler, error) &&
            error.empty(),
        "other targets and compilers have no measurements yet");
  check(db->record(make(otherTarget, "a", S::Ok, 9.0, 1), error) &&
            db->record(make(otherCompiler, "x", S::Ok, 0.01, 1), error),
        "record for another target and another compiler");
  m = db->best(matmul, error);
  check(m && m->schedule == "b", "they do not change this key's best");
  check(db->measurements(otherTarget, error).size() == 1 &&
            db->measurements(otherCompiler, error).size() == 1 &&
            db->find(otherTarget, "a", error)->seconds == 9.0 &&
            !db->find(otherTarget, "b", error),
        "keys differing in target or compiler version are separate");

  TuningKey onlyFailed = {"linalg.conv 3x3", "x86_64 cpu=znver2", "kiln"};
  check(db->record(make(onlyFailed, "a", S::Timeout, 0, 1), error) &&
            !db->best(onlyFailed, error) && error.empty(),
        "a key with no Ok measurement has no best");
  TuningKey batch = {"linalg.batch_matmul 4x64x64x64 f32", "x86_64", "kiln"};
  check(db->record(make(batch, "a", S::Ok, 7.0, 1), error) &&
            db->record(make(batch, "b", S::Wrong, 1.0, 1), error),
        "record for another signature");
  // Sorted by signature, then target, then compiler version.
  std::vector<Measurement> bests = db->bestOfAll(error);
  check(bests.size() == 4 && bests[0].key.signature == batch.signature &&
            bests[0].schedule == "a" &&
            bests[1].key.target == otherTarget.target &&
            bests[2].schedule == "b" &&
            bests[2].key.compilerVersion == matmul.compilerVersion &&
            bests[3].schedule == "x" && error.empty(),
        "bestOfAll: the best of each key with an Ok measurement, sorted");

  // Invalid measurements and errors.
  check(!db->record(make(TuningKey{}, "a", S::Ok, 1, 1), error) &&
            contains(error, "signature is empty"),
        "an empty signature is refused");
  show(error);
  check(!db->record(make(matmul, "n", S::Ok, std::nan(""), 1), error) &&
            !db->record(make(matmul, "n", S::Ok, -1, 1), error) &&
            !db->record(make(matmul, "n", static_cast<S>(42), 1, 1), error),
        "NaN or negative times and invalid statuses are refused");
  show(error);
  db.reset();

  // Reopen, read-only.
  db = TuningDatabase::open(path, true, error);
  check(db && error.empty(), "reopen read-only");
  if (!db)
    return;
  m = db->best(matmul, error);
  check(m && m->schedule == "b" && db->measurements(matmul, error).size() == 7,
        "the measurements survive a reopen");
  check(!db->record(make(matmul, "z", S::Ok, 1, 1), error) &&
            contains(error, "read-only"),
        "a read-only database refuses records");
  show(error);
}

/// A schedule that lost its warm check keeps the time it measured and is
/// never best; merging prefers one that did not lose.
static void checkWarmCheck(const std::string &path) {
  std::string error;
  auto db = TuningDatabase::open(path, false, error);
  if (!db)
    return check(false, "open " + path);
  using S = MeasurementStatus;
  Measurement heuristic = make(matmul, "h", S::Ok, 2.0, 1);
  Measurement lost = make(matmul, "l", S::Ok, 1.0, 2);
  lost.warmCheck = WarmCheck::Lost;
  Measurement passed = make(matmul, "p", S::Ok, 1.5, 3);
  passed.warmCheck = WarmCheck::Passed;
  check(db->record(heuristic, error) && db->record(lost, error),
        "record a schedule that lost its warm check");
  std::optional<Measurement> m = db->find(matmul, "l", error);
  check(m && m->seconds == 1.0 && m->warmCheck == WarmCheck::Lost,
        "it keeps the time it measured, marked lost");
  m = db->best(matmul, error);
  check(m && m->schedule == "h", "a lost schedule is never best");
  check(db->bestOfAll(error).size() == 1 &&
            db->bestOfAll(error).front().schedule == "h",
        "nor best of all");
  check(schedules(db->measurements(matmul, error)) == "l,h",
        "measurements lists it with its time");
  check(db->record(passed, error) && db->best(matmul, error)->schedule == "p" &&
            db->find(matmul, "p", error)->warmCheck == WarmCheck::Passed,
        "one that passed is best");

  // Merging: the same schedule not lost (though slower) replaces a lost one.
  std::string otherPath = path + ".other";
  auto other = TuningDatabase::open(otherPath, false, error);
  Measurement relost = make(matmul, "p", S::Ok, 0.5, 4);
  relost.warmCheck = WarmCheck::Lost;
  Measurement kept = make(matmul, "l", S::Ok, 1.2, 5);
  check(other && other->record(relost, error) && other->record(kept, error),
        "write a database to merge");
  check(db->merge(otherPath, error) == 1, "merge takes one row");
  m = db->find(matmul, "l", error);
  check(m && m->warmCheck == WarmCheck::NotRun && m->seconds == 1.2,
        "a row that did not lose replaces a lost one");
  m = db->find(matmul, "p", error);
  check(m && m->warmCheck == WarmCheck::Passed && m->seconds == 1.5,
        "a lost row does not replace one that did not lose, faster or not");
}

static void checkMerge(const std::string &dir) {
  using S = MeasurementStatus;
  std::string error, aPath = dir + "/merge-a.db", bPath = dir + "/merge-b.db";
  auto a = TuningDatabase::open(aPath, false, error);
  auto b = TuningDatabase::open(bPath, false, error);
  check(a && b, "open two databases to merge");
  if (!a || !b)
    return;
  bool ok = a->record(make(matmul, "fast", S::Ok, 1.0, 1), error) &&
            a->record(make(matmul, "slow", S::Ok, 5.0, 1), error) &&
            a->record(make(matmul, "broken", S::Failed, 0, 1), error) &&
            a->record(make(matmul, "good", S::Ok, 2.0, 1), error);
  ok = ok && b->record(make(matmul, "fast", S::Ok, 1.5, 2), error) &&
       b->record(make(matmul, "slow", S::Ok, 4.0, 2), error) &&
       b->record(make(matmul, "broken", S::Ok, 3.0, 2), error) &&
       b->record(make(matmul, "good", S::Timeout, 0, 2), error) &&
       b->record(make(matmul, "new", S::Ok, 0.5, 2), error) &&
       b->record(make(matmul, "new-bad", S::Wrong, 0, 2), error);
  check(ok, "record measurements in both");
  check(a->merge(bPath, error) == 4 && error.empty(),
        "merge counts 2 rows added and 2 changed");
  check(schedules(a->measurements(matmul, error)) ==
            "new,fast,good,broken,slow,new-bad",
        "the merged measurements, in order");
  auto found = [&](const char *schedule) {
    std::optional<Measurement> m = a->find(matmul, schedule, error);
    return m ? std::string(statusName(m->status)) + " " +
                   std::to_string(m->seconds).substr(0, 3)
             : std::string("none");
  };
  check(found("fast") == "ok 1.0", "the faster Ok measurement is kept");
  check(found("slow") == "ok 4.0", "a faster Ok measurement replaces");
  check(found("broken") == "ok 3.0", "Ok replaces failed");
  check(found("good") == "ok 2.0", "Ok is not replaced by timeout");
  check(found("new") == "ok 0.5" && found("new-bad") == "wrong 0.0",
        "measurements only the other has are added");
  std::optional<Measurement> best = a->best(matmul, error);
  check(best && best->schedule == "new", "best after the merge");
  check(a->merge(bPath, error) == 0, "merging again changes nothing");
  check(a->merge(aPath, error) == 0, "merging a database into itself too");
  check(b->merge(aPath, error) == 2 &&
            b->measurements(matmul, error).size() == 6,
        "merging back brings the other database up to date");
  check(a->merge(dir + "/no-such.db", error) == -1 &&
            contains(error, "no such tuning database"),
        "merging a missing database fails");
  show(error);
}

static void checkBadFiles(const std::string &dir) {
  std::string error;
  std::string missing = dir + "/missing.db";
  check(!TuningDatabase::open(missing, true, error) &&
            contains(error, "no such tuning database") &&
            contains(error, missing) && access(missing.c_str(), F_OK) != 0,
        "read-only open of a missing file fails and creates nothing");
  show(error);

  std::string text = dir + "/notes.txt";
  std::ofstream(text) << "These are not the measurements you are looking for."
                      << std::string(200, 'x') << "\n";
  std::string before = slurp(text);
  check(!TuningDatabase::open(text, false, error) &&
            contains(error, "is not a Kiln tuning database") &&
            contains(error, "not an SQLite database file") &&
            !TuningDatabase::open(text, true, error) &&
            contains(error, "not an SQLite database file"),
        "a text file is rejected");
  show(error);
  check(slurp(text) == before, "the text file is left as it was");

  std::string foreign = dir + "/foreign.db";
  check(writeForeign(foreign, "CREATE TABLE songs(title TEXT);"
                              "INSERT INTO songs VALUES('x');"),
        "write another application's SQLite database");
  before = slurp(foreign);
  check(!TuningDatabase::open(foreign, false, error) &&
            contains(error, "is not a Kiln tuning database") &&
            contains(error, "without Kiln's tables"),
        "an SQLite database without Kiln's tables is rejected");
  show(error);
  check(slurp(foreign) == before, "that database is left as it was");

  std::string tagged = dir + "/tagged.db";
  check(writeForeign(tagged, "PRAGMA application_id = 1234;"
                             "CREATE TABLE meta(key, value);"),
        "write an SQLite database with another application id");
  check(!TuningDatabase::open(tagged, true, error) &&
            contains(error, "is not a Kiln tuning database") &&
            contains(error, "another application"),
        "an SQLite database of another application is rejected");
  show(error);

  std::string newer = dir + "/newer.db";
  TuningDatabase::open(newer, false, error);
  check(writeForeign(newer, "UPDATE meta SET value = 3 "
                            "WHERE key = 'schema_version'"),
        "make a database of schema version 3");
  check(!TuningDatabase::open(newer, false, error) &&
            contains(error, "newer Kiln") &&
            contains(error, "schema version 3"),
        "a newer schema version is rejected");
  show(error);

  // Version 1 stored a lost warm check as the heuristic's time: refused,
  // read-only or not, and left as it was.
  std::string older = dir + "/older.db";
  TuningDatabase::open(older, false, error);
  check(writeForeign(older, "UPDATE meta SET value = 1 "
                            "WHERE key = 'schema_version'"),
        "make a database of schema version 1");
  before = slurp(older);
  check(!TuningDatabase::open(older, false, error) &&
            contains(error, "older Kiln (schema version 1)") &&
            contains(error, "tune again into a new database") &&
            !TuningDatabase::open(older, true, error),
        "an older schema version is refused");
  show(error);
  check(slurp(older) == before, "the older database is left as it was");

  std::string empty = dir + "/empty.db";
  std::ofstream(empty).close();
  check(!TuningDatabase::open(empty, true, error) && contains(error, "empty"),
        "read-only open of an empty file fails");
  show(error);
  auto db = TuningDatabase::open(empty, false, error);
  check(db && db->record(make(matmul, "a", MeasurementStatus::Ok, 1, 1), error),
        "an empty file becomes a database when opened for writing");

  check(!TuningDatabase::open(dir, false, error) &&
            contains(error, "cannot open"),
        "a directory is rejected");
  show(error);
  check(!TuningDatabase::open("", false, error), "an empty path is rejected");
}

/// `writers` processes each record `each` measurements of their own key into
/// `path`, which none has created beforehand.
static void checkConcurrentWriters(const std::string &path, int writers,
                                   int each) {
  std::fflush(stdout);
  std::vector<pid_t> children;
  for (int w = 0; w < writers; ++w) {
    pid_t pid = fork();
    if (pid == 0) {
      std::string error;
      auto db = TuningDatabase::open(path, false, error);
      int bad = db ? 0 : 1;
      TuningKey key = matmul;
      key.signature += " writer " + std::to_string(w);
      for (int i = 0; db && i < each; ++i)
        if (!db->record(make(key, "schedule " + std::to_string(i),
                             MeasurementStatus::Ok, 1.0 + i, i),
                        error))
          ++bad;
      if (bad)
        std::fprintf(stderr, "writer %d: %s\n", w, error.c_str());
      _exit(bad ? 1 : 0);
    }
    children.push_back(pid);
  }
  int succeeded = 0;
  for (pid_t pid : children) {
    int status = 0;
    succeeded += waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
                 WEXITSTATUS(status) == 0;
  }
  check(succeeded == writers,
        std::to_string(writers) + " concurrent writers all succeed");

  std::string error;
  auto db = TuningDatabase::open(path, true, error);
  size_t total = 0;
  for (int w = 0; db && w < writers; ++w) {
    TuningKey key = matmul;
    key.signature += " writer " + std::to_string(w);
    total += db->measurements(key, error).size();
  }
  check(total == size_t(writers * each),
        "all " + std::to_string(writers * each) + " measurements are there (" +
            std::to_string(total) + ")");
  check(db && db->bestOfAll(error).size() == size_t(writers),
        "each writer's key has a best");
}

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: kiln-test-tuning-db DIR\n");
    return 2;
  }
  std::string dir = argv[1];
  check(statusName(MeasurementStatus::Timeout) == std::string("timeout") &&
            parseStatus("wrong") == MeasurementStatus::Wrong &&
            !parseStatus("fast"),
        "status names");
  check(warmCheckName(WarmCheck::Lost) == std::string("lost") &&
            parseWarmCheck("not-run") == WarmCheck::NotRun &&
            !parseWarmCheck("won"),
        "warm check names");
  checkBasics(dir + "/basics.db");
  checkWarmCheck(dir + "/warm.db");
  checkMerge(dir);
  checkBadFiles(dir);
  checkConcurrentWriters(dir + "/parallel.db", 4, 50);
  std::printf("%d failed\n", failures);
  return failures ? 1 : 0;
}
