//===- Profiler.cpp - time spent per nn op --------------------------------===//
//
// Part of Kiln's runtime (no MLIR/LLVM dependency). See Profiler.h.
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/Profiler.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct OpInfo {
  std::string op, node;
  double flops = 0;
};

/// One line of the table: the regions that compute the same nn ops.
struct Row {
  std::vector<int> ops;
  int regions = 0;
  double flops = 0; // per call: the ops first computed here
  double seconds = 0;
  uint64_t executions = 0;
};

/// A compiled function's description (see Profiler.h), parsed.
struct Table {
  std::string function;
  std::vector<OpInfo> ops;
  std::vector<int> regionRow;
  std::vector<Row> rows;
  std::vector<Clock::time_point> started;
  bool valid = false;
};

struct Event {
  const Table *table;
  int row;
  double start, duration; // seconds since the profile started
};

/// Events kept for a trace at most (about 32 bytes each).
constexpr size_t kMaxEvents = 4u << 20;

struct Profiler {
  std::mutex mutex;
  /// Read without the lock first: unprofiled runs pay one load per call.
  std::atomic<bool> active{false};
  bool trace = false, recorded = false;
  Clock::time_point origin;
  std::map<int64_t, std::unique_ptr<Table>> tables;
  std::vector<Event> events;
  size_t droppedEvents = 0;
  unsigned runs = 0;
  double runSeconds = 0;

  static Profiler &get() {
    static Profiler *profiler = new Profiler(); // outlives static destructors
    return *profiler;
  }

  Table &table(int64_t address) {
    std::unique_ptr<Table> &slot = tables[address];
    if (!slot)
      slot = parse(reinterpret_cast<const char *>(address));
    return *slot;
  }

  static std::unique_ptr<Table> parse(const char *text) {
    auto table = std::make_unique<Table>();
    std::istringstream in(text ? text : "");
    std::string line;
    if (!std::getline(in, line) || line != "kiln-profile 1")
      return table;
    std::map<std::vector<int>, int> rowOf;
    std::vector<bool> counted;
    while (std::getline(in, line)) {
      std::vector<std::string> fields;
      size_t start = 0;
      for (size_t tab; (tab = line.find('\t', start)) != std::string::npos;
           start = tab + 1)
        fields.push_back(line.substr(start, tab - start));
      fields.push_back(line.substr(start));
      if (fields[0] == "function" && fields.size() == 2) {
        table->function = fields[1];
      } else if (fields[0] == "op" && fields.size() == 5) {
        table->ops.push_back(
            {fields[2], fields[3], std::atof(fields[4].c_str())});
        counted.push_back(false);
      } else if (fields[0] == "region" && fields.size() == 3) {
        std::vector<int> ops;
        std::istringstream list(fields[2]);
        for (std::string id; std::getline(list, id, ',');) {
          int op = std::atoi(id.c_str());
          if (op < 0 || op >= int(table->ops.size()))
            return table;
          ops.push_back(op);
        }
        auto [it, inserted] = rowOf.try_emplace(ops, int(table->rows.size()));
        if (inserted) {
          Row row;
          row.ops = ops;
          for (int op : ops)
            if (!counted[op]) {
              counted[op] = true;
              row.flops += table->ops[op].flops;
            }
          table->rows.push_back(row);
        }
        table->rows[it->second].regions++;
        table->regionRow.push_back(it->second);
      }
    }
    table->started.resize(table->regionRow.size());
    table->valid = true;
    return table;
  }
};

/// "nn.matmul + nn.add" (each op's name once, in order).
std::string opNames(const Table &table, const Row &row) {
  std::vector<std::string> names;
  for (int op : row.ops)
    if (std::find(names.begin(), names.end(), table.ops[op].op) == names.end())
      names.push_back(table.ops[op].op);
  std::string text;
  for (const std::string &name : names)
    text += (text.empty() ? "" : " + ") + name;
  return text;
}

/// The ops' source locations (ONNX node names), comma-separated.
std::string nodeNames(const Table &table, const Row &row) {
  std::string text;
  for (int op : row.ops)
    if (!table.ops[op].node.empty())
      text += (text.empty() ? "" : ", ") + table.ops[op].node;
  return text;
}

std::string jsonString(const std::string &text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

std::string formatNumber(const char *format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

} // namespace

extern "C" void kiln_profile_begin(int64_t table, int64_t region) {
  Profiler &p = Profiler::get();
  if (!p.active.load(std::memory_order_relaxed))
    return;
  std::lock_guard<std::mutex> lock(p.mutex);
  if (!p.active)
    return;
  p.recorded = true;
  Table &t = p.table(table);
  if (t.valid && region >= 0 && region < int64_t(t.started.size()))
    t.started[region] = Clock::now();
}

extern "C" void kiln_profile_end(int64_t table, int64_t region) {
  Profiler &p = Profiler::get();
  if (!p.active.load(std::memory_order_relaxed))
    return;
  Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(p.mutex);
  if (!p.active)
    return;
  Table &t = p.table(table);
  if (!t.valid || region < 0 || region >= int64_t(t.started.size()))
    return;
  int row = t.regionRow[region];
  double seconds =
      std::chrono::duration<double>(now - t.started[region]).count();
  t.rows[row].seconds += seconds;
  t.rows[row].executions++;
  if (!p.trace)
    return;
  if (p.events.size() >= kMaxEvents) {
    ++p.droppedEvents;
    return;
  }
  double start =
      std::chrono::duration<double>(t.started[region] - p.origin).count();
  p.events.push_back({&t, row, start, seconds});
}

namespace kiln {
namespace runtime {

void startProfile(bool trace) {
  Profiler &p = Profiler::get();
  std::lock_guard<std::mutex> lock(p.mutex);
  for (auto &entry : p.tables)
    for (Row &row : entry.second->rows) {
      row.seconds = 0;
      row.executions = 0;
    }
  p.events.clear();
  p.droppedEvents = 0;
  p.recorded = false;
  p.trace = trace;
  p.origin = Clock::now();
  p.active = true;
}

void stopProfile(unsigned runs, double seconds) {
  Profiler &p = Profiler::get();
  std::lock_guard<std::mutex> lock(p.mutex);
  p.active = false;
  p.runs = runs;
  p.runSeconds = seconds;
}

bool profileRecordedAnything() {
  Profiler &p = Profiler::get();
  std::lock_guard<std::mutex> lock(p.mutex);
  return p.recorded;
}

std::string formatProfile() {
  Profiler &p = Profiler::get();
  std::lock_guard<std::mutex> lock(p.mutex);
  std::ostringstream out;
  unsigned runs = std::max(p.runs, 1u);
  for (auto &entry : p.tables) {
    const Table &t = *entry.second;
    if (!t.valid)
      continue;
    std::vector<const Row *> rows;
    double opSeconds = 0;
    std::vector<bool> computed(t.ops.size(), false);
    for (const Row &row : t.rows) {
      rows.push_back(&row);
      opSeconds += row.seconds;
      for (int op : row.ops)
        computed[op] = true;
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row *a, const Row *b) {
      return a->seconds > b->seconds;
    });
    double perRun = p.runSeconds / runs;
    out << "profile of '" << t.function << "': " << p.runs
        << (p.runs == 1 ? " run" : " runs") << ", "
        << formatNumber("%.3f", perRun * 1e3) << " ms per run, "
        << formatNumber("%.3f", opSeconds / runs * 1e3) << " ms in "
        << rows.size() << " ops' code ("
        << formatNumber("%.1f",
                        p.runSeconds > 0 ? 100 * opSeconds / p.runSeconds : 0)
        << "%)\n";
    out << "    #     ms/run   share  calls    mean us  GFLOP/s  op  [node]\n";
    int rank = 0;
    for (const Row *row : rows) {
      uint64_t calls = row->regions ? row->executions / row->regions : 0;
      double gflops =
          row->seconds > 0 ? row->flops * calls / row->seconds * 1e-9 : 0;
      out << formatNumber("%5.0f", double(++rank)) << " "
          << formatNumber("%10.3f", row->seconds / runs * 1e3) << " "
          << formatNumber("%6.1f%%", p.runSeconds > 0
                                         ? 100 * row->seconds / p.runSeconds
                                         : 0)
          << " " << formatNumber("%6.0f", double(calls)) << " "
          << formatNumber("%10.1f", calls ? row->seconds / calls * 1e6 : 0)
          << " "
          << (row->flops > 0 ? formatNumber("%8.2f", gflops) : "       -")
          << "  " << opNames(t, *row);
      std::string nodes = nodeNames(t, *row);
      if (!nodes.empty())
        out << "  [" << nodes << "]";
      out << "\n";
    }
    // Ops compiled into no code of their own: views (reshapes, slices
    // that stay views), ops folded away at compile time.
    std::map<std::string, int> folded;
    int numFolded = 0;
    for (size_t op = 0; op < t.ops.size(); ++op)
      if (!computed[op]) {
        folded[t.ops[op].op]++;
        numFolded++;
      }
    out << t.ops.size() << " nn ops: " << (t.ops.size() - numFolded)
        << " in the rows above, " << numFolded << " with no code of their own";
    std::string separator = " (";
    for (auto &[name, count] : folded) {
      out << separator << count << " " << name;
      separator = ", ";
    }
    out << (numFolded ? ")\n" : "\n");
  }
  if (p.droppedEvents)
    out << "(the trace keeps the first " << kMaxEvents << " calls; "
        << p.droppedEvents << " more were timed but not kept)\n";
  return out.str();
}

bool writeProfileTrace(const std::string &path, std::string &error) {
  Profiler &p = Profiler::get();
  std::lock_guard<std::mutex> lock(p.mutex);
  FILE *file = std::fopen(path.c_str(), "w");
  if (!file) {
    error = "cannot write the profile trace " + path;
    return false;
  }
  std::string text = "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [\n"
                     "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, "
                     "\"args\": {\"name\": \"kiln\"}}";
  for (const Event &event : p.events) {
    const Row &row = event.table->rows[event.row];
    text += ",\n{\"name\": " + jsonString(opNames(*event.table, row)) +
            ", \"cat\": \"op\", \"ph\": \"X\", \"pid\": 1, \"tid\": 1, "
            "\"ts\": " +
            formatNumber("%.3f", event.start * 1e6) +
            ", \"dur\": " + formatNumber("%.3f", event.duration * 1e6) +
            ", \"args\": {\"function\": " + jsonString(event.table->function) +
            ", \"nodes\": " + jsonString(nodeNames(*event.table, row)) + "}}";
    if (text.size() > (1u << 20)) {
      std::fwrite(text.data(), 1, text.size(), file);
      text.clear();
    }
  }
  text += "\n]}\n";
  std::fwrite(text.data(), 1, text.size(), file);
  if (std::fclose(file) != 0) {
    error = "cannot write the profile trace " + path;
    return false;
  }
  return true;
}

} // namespace runtime
} // namespace kiln
